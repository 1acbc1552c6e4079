/**
 * Pure builders for Anthropic Messages answers: the exact SSE event sequence of a streamed turn
 * (message_start, ping, content blocks with their deltas, message_delta, message_stop), the body of
 * a non-streamed one, and Anthropic-style error bodies.
 */
import { argumentsText, splitText } from '../completion.js'
import { seal, sign } from '../signing.js'
import type { MockTurn, ReportedUsage } from '../types.js'
import { REDACTED, THINKING } from './validate.js'

export interface AnthropicEvent {
  event: string
  data: Record<string, unknown>
}

export interface AnthropicContext {
  id: string
  model: string
  turnIndex: number
  thinking: boolean
  usage: ReportedUsage
}

/** What a thinking model says when the script gives it no reasoning of its own. */
export const DEFAULT_THINKING = 'Let me work out what is being asked and what to do next.'

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; json: string }

function toolUseId(turnIndex: number, i: number): string {
  return `toolu_mock_${turnIndex}_${i}`
}

function blocksOf(turn: MockTurn, ctx: AnthropicContext): Block[] {
  const blocks: Block[] = []
  if (ctx.thinking) {
    const thinking = turn.reasoning ?? DEFAULT_THINKING
    blocks.push({ type: 'thinking', thinking, signature: sign(THINKING, thinking) })
    if (turn.redactedReasoning)
      blocks.push({ type: 'redacted_thinking', data: seal(REDACTED, `hidden ${ctx.id}`) })
  }
  if (turn.text) blocks.push({ type: 'text', text: turn.text })
  ;(turn.toolCalls ?? []).forEach((call, i) => {
    const json = argumentsText(call)
    let input: unknown = {}
    try {
      input = JSON.parse(json)
    } catch {
      // A malformed scripted argument string still streams as written; the parsed input is {}.
    }
    blocks.push({
      type: 'tool_use',
      id: call.id ?? toolUseId(ctx.turnIndex, i),
      name: call.name,
      input,
      json,
    })
  })
  return blocks
}

export function stopReasonOf(turn: MockTurn): string {
  switch (turn.finishReason) {
    case 'length':
      return 'max_tokens'
    case 'content_filter':
      return 'refusal'
    case 'stop':
      return 'end_turn'
    case 'tool_calls':
      return 'tool_use'
    default:
      return (turn.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn'
  }
}

/** Anthropic's usage: `input_tokens` is the fresh part only; cache reads and writes come apart. */
export function usageJson(usage: ReportedUsage, output: number) {
  return {
    input_tokens: usage.input - usage.cacheRead - usage.cacheWrite,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: output,
  }
}

function messageShell(ctx: AnthropicContext, content: unknown[], stopReason: string | null, output: number) {
  return {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: usageJson(ctx.usage, output),
  }
}

function startBlock(block: Block): Record<string, unknown> {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data }
    case 'text':
      return { type: 'text', text: '' }
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} }
  }
}

function deltas(block: Block): Record<string, unknown>[] {
  switch (block.type) {
    case 'thinking':
      return [
        ...splitText(block.thinking, Math.max(2, Math.ceil(block.thinking.length / 24))).map((piece) => ({
          type: 'thinking_delta',
          thinking: piece,
        })),
        { type: 'signature_delta', signature: block.signature },
      ]
    case 'redacted_thinking':
      return []
    case 'text':
      return splitText(block.text, Math.max(3, Math.ceil(block.text.length / 12))).map((piece) => ({
        type: 'text_delta',
        text: piece,
      }))
    case 'tool_use':
      // The API opens with an empty fragment, then streams the JSON in arbitrary pieces.
      return ['', ...splitText(block.json, Math.max(3, Math.ceil(block.json.length / 10)))].map((piece) => ({
        type: 'input_json_delta',
        partial_json: piece,
      }))
  }
}

function finalBlock(block: Block): Record<string, unknown> {
  if (block.type === 'tool_use')
    return { type: 'tool_use', id: block.id, name: block.name, input: block.input }
  return block
}

/** The events of a streamed turn, in the API's order. */
export function streamEvents(turn: MockTurn, ctx: AnthropicContext, output: number): AnthropicEvent[] {
  const events: AnthropicEvent[] = [
    { event: 'message_start', data: { type: 'message_start', message: messageShell(ctx, [], null, 1) } },
    { event: 'ping', data: { type: 'ping' } },
  ]
  blocksOf(turn, ctx).forEach((block, index) => {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: startBlock(block) },
    })
    for (const delta of deltas(block))
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } })
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } })
  })
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(turn), stop_sequence: null },
      usage: { output_tokens: output },
    },
  })
  events.push({ event: 'message_stop', data: { type: 'message_stop' } })
  return events
}

/** The body of a non-streamed turn. */
export function messageBody(turn: MockTurn, ctx: AnthropicContext, output: number) {
  return messageShell(ctx, blocksOf(turn, ctx).map(finalBlock), stopReasonOf(turn), output)
}

/** The text a turn's output is measured by (for its default output token count). */
export function outputText(turn: MockTurn, thinking: boolean): string {
  const calls = (turn.toolCalls ?? []).map((call) => call.name + argumentsText(call)).join('')
  return `${thinking ? (turn.reasoning ?? DEFAULT_THINKING) : ''}${turn.text ?? ''}${calls}`
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
}

const ERROR_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
}

export function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
}

/** `{type: 'error', error: {type, message}}`, as every Anthropic error is shaped. */
export function anthropicError(status: number, overrides: { type?: string; message?: string } = {}) {
  const type = overrides.type ?? errorType(status)
  return { type: 'error', error: { type, message: overrides.message ?? ERROR_MESSAGES[type] ?? 'Error' } }
}
