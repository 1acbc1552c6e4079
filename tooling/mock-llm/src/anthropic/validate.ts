/**
 * Checks an Anthropic Messages request the way the real API does (API versions 2023-06-01 and
 * 2026-10-21): the shape of every field, the conversation's structure (tool_use answered by
 * tool_result blocks first thing in the very next user message), thinking blocks carrying the
 * signature the mock gave them, at most four cache breakpoints. The first problem found is the
 * answer, worded like the API's `invalid_request_error` messages.
 */
import type { PromptBlock } from '../prompt-cache.js'
import { open, verify } from '../signing.js'

export interface AnthropicRequest {
  model: string
  max_tokens: number
  messages: AnthropicMessage[]
  system?: string | Array<Record<string, unknown>>
  tools?: Array<Record<string, unknown>>
  stream?: boolean
  thinking?: { type: string; budget_tokens?: number }
  temperature?: number
  [key: string]: unknown
}

export interface AnthropicMessage {
  role: 'user' | 'assistant'
  content: string | Array<Record<string, unknown> & { type: string }>
}

export type Checked =
  | { ok: true; request: AnthropicRequest; thinking: boolean; blocks: PromptBlock[] }
  | { ok: false; message: string }

export const API_VERSIONS = ['2023-06-01', '2026-10-21'] as const

const TOP_LEVEL = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stream',
  'thinking',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'service_tier',
  'container',
  'output_config',
  'inference_geo',
  'cache_control',
])
const SAMPLING = ['temperature', 'top_p', 'top_k']
const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/
const MAX_BREAKPOINTS = 4

/** The thinking signature and redacted data the mock issues; `respond.ts` makes them. */
export const THINKING = 'anthropic-thinking'
export const REDACTED = 'anthropic-redacted-thinking'

class Invalid extends Error {}

function fail(message: string): never {
  throw new Invalid(message)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function text(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(`${where}: Input should be a valid string`)
  return value
}

function withoutCacheControl(block: Record<string, unknown>): string {
  const { cache_control: _ignored, ...rest } = block
  return JSON.stringify(rest)
}

function checkCacheControl(block: Record<string, unknown>, where: string, count: { n: number }): boolean {
  const control = block.cache_control
  if (control === undefined || control === null) return false
  if (!isObject(control) || control.type !== 'ephemeral')
    fail(`${where}.cache_control.type: Input should be 'ephemeral'`)
  if (control.ttl !== undefined && control.ttl !== '5m' && control.ttl !== '1h')
    fail(`${where}.cache_control.ttl: Input should be '5m' or '1h'`)
  count.n++
  if (count.n > MAX_BREAKPOINTS)
    fail(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${count.n}.`)
  return true
}

function checkImage(block: Record<string, unknown>, where: string): void {
  const source = block.source
  if (!isObject(source)) fail(`${where}.source: Field required`)
  if (source.type !== 'base64')
    fail(`${where}.source.type: only 'base64' image sources are accepted by this mock`)
  if (!MEDIA_TYPES.includes(String(source.media_type)))
    fail(`${where}.source.media_type: Input should be ${MEDIA_TYPES.map((t) => `'${t}'`).join(', ')}`)
  const data = text(source.data, `${where}.source.data`)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0 || data.length === 0)
    fail(`${where}.source.data: The image data is not valid base64`)
}

function contentBlocks(
  message: AnthropicMessage,
  index: number,
): Array<Record<string, unknown> & { type: string }> {
  const where = `messages.${index}.content`
  if (typeof message.content === 'string') {
    if (message.content === '' && index !== -1) fail(`${where}: messages must have non-empty content`)
    return [{ type: 'text', text: message.content }]
  }
  if (!Array.isArray(message.content)) fail(`${where}: Input should be a valid list`)
  if (message.content.length === 0) fail(`messages.${index}: all messages must have non-empty content`)
  return message.content.map((block, i) => {
    if (!isObject(block) || typeof block.type !== 'string')
      fail(`${where}.${i}: Input should be an object with a type`)
    return block as Record<string, unknown> & { type: string }
  })
}

interface Turn {
  role: 'user' | 'assistant'
  blocks: Array<Record<string, unknown> & { type: string }>
  index: number
}

function checkBlock(
  turn: Turn,
  block: Record<string, unknown> & { type: string },
  i: number,
  count: { n: number },
): boolean {
  const where = `messages.${turn.index}.content.${i}`
  const user = turn.role === 'user'
  switch (block.type) {
    case 'text':
      if (text(block.text, `${where}.text`) === '')
        fail(`${where}.text: text content blocks must be non-empty`)
      break
    case 'image':
      if (!user) fail(`${where}: image blocks are only allowed in user messages`)
      checkImage(block, where)
      break
    case 'tool_use':
      if (user) fail(`${where}: tool_use blocks are only allowed in assistant messages`)
      if (!/^[a-zA-Z0-9_-]+$/.test(text(block.id, `${where}.id`)))
        fail(`${where}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`)
      text(block.name, `${where}.name`)
      if (!isObject(block.input)) fail(`${where}.input: Input should be a valid dictionary`)
      break
    case 'tool_result': {
      if (!user) fail(`${where}: tool_result blocks are only allowed in user messages`)
      text(block.tool_use_id, `${where}.tool_use_id`)
      if (block.is_error !== undefined && typeof block.is_error !== 'boolean')
        fail(`${where}.is_error: Input should be a valid boolean`)
      const content = block.content
      if (Array.isArray(content)) {
        content.forEach((inner, j) => {
          const at = `${where}.content.${j}`
          if (!isObject(inner)) fail(`${at}: Input should be an object`)
          if (inner.type === 'text') {
            if (text(inner.text, `${at}.text`) === '')
              fail(`${at}.text: text content blocks must be non-empty`)
          } else if (inner.type === 'image') checkImage(inner, at)
          else fail(`${at}.type: tool_result content may hold text and image blocks only`)
          checkCacheControl(inner, at, count)
        })
      } else if (content !== undefined && typeof content !== 'string')
        fail(`${where}.content: Input should be a valid string or list`)
      break
    }
    case 'thinking': {
      if (user) fail(`${where}: thinking blocks are only allowed in assistant messages`)
      const thinking = text(block.thinking, `${where}.thinking`)
      if (!verify(THINKING, thinking, block.signature))
        fail(`${where}: Invalid \`signature\` in \`thinking\` block`)
      if (block.cache_control !== undefined)
        fail(`${where}.cache_control: thinking blocks cannot be cached directly`)
      break
    }
    case 'redacted_thinking':
      if (user) fail(`${where}: redacted_thinking blocks are only allowed in assistant messages`)
      if (open(REDACTED, block.data) === undefined)
        fail(`${where}: Invalid \`data\` in \`redacted_thinking\` block`)
      break
    default:
      fail(`${where}.type: Input tag '${block.type}' is not one of the expected tags`)
  }
  return checkCacheControl(block, where, count)
}

/**
 * Consecutive messages of one role are one turn (the API combines them); tool results must be
 * the first blocks of the user turn right after the assistant turn that asked for them.
 */
function checkConversation(turns: Turn[], thinking: boolean): void {
  if (turns[0]?.role !== 'user') fail('messages: the first message must use the "user" role')
  turns.forEach((turn, t) => {
    const previous = turns[t - 1]
    const asked = previous?.role === 'assistant' ? previous.blocks.filter((b) => b.type === 'tool_use') : []
    const askedIds = asked.map((b) => String(b.id))
    if (turn.role === 'assistant') {
      const ids = turn.blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id))
      const dup = ids.find((id, i) => ids.indexOf(id) !== i)
      if (dup) fail(`messages.${turn.index}: \`tool_use\` ids must be unique (${dup} appears twice)`)
      return
    }
    const results = turn.blocks.filter((b) => b.type === 'tool_result')
    const leading = turn.blocks.findIndex((b) => b.type !== 'tool_result')
    if (leading !== -1 && turn.blocks.slice(leading).some((b) => b.type === 'tool_result'))
      fail(
        `messages.${turn.index}: tool_result blocks must come before any other content in the user message`,
      )
    for (const result of results) {
      if (!askedIds.includes(String(result.tool_use_id)))
        fail(
          `messages.${turn.index}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(result.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        )
    }
    const answered = new Set(results.map((b) => String(b.tool_use_id)))
    const missing = askedIds.filter((id) => !answered.has(id))
    if (missing.length > 0)
      fail(
        `messages.${previous!.index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      )
  })
  const last = turns.at(-1)
  if (last?.role === 'assistant' && last.blocks.some((b) => b.type === 'tool_use'))
    fail(
      `messages.${last.index}: the final assistant message cannot end with tool_use blocks without their results`,
    )
  // With thinking on, the assistant turn of the tool loop in progress must open with its thinking.
  const loop = [...turns].reverse().find((turn) => turn.role === 'assistant')
  if (thinking && loop?.blocks.some((b) => b.type === 'tool_use')) {
    const first = loop.blocks[0]?.type
    if (first !== 'thinking' && first !== 'redacted_thinking')
      fail(
        `messages.${loop.index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns.`,
      )
  }
}

function checkTools(tools: unknown, count: { n: number }, blocks: PromptBlock[]): void {
  if (tools === undefined) return
  if (!Array.isArray(tools)) fail('tools: Input should be a valid list')
  const names = new Set<string>()
  tools.forEach((tool, i) => {
    const where = `tools.${i}`
    if (!isObject(tool)) fail(`${where}: Input should be an object`)
    const name = text(tool.name, `${where}.name`)
    if (!TOOL_NAME.test(name)) fail(`${where}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`)
    if (names.has(name)) fail(`tools: Tool names must be unique (${name})`)
    names.add(name)
    if (tool.description !== undefined) text(tool.description, `${where}.description`)
    if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object')
      fail(`${where}.input_schema.type: Input should be 'object'`)
    for (const key of Object.keys(tool))
      if (!['name', 'description', 'input_schema', 'cache_control', 'type', 'strict'].includes(key))
        fail(`${where}.${key}: Extra inputs are not permitted`)
    blocks.push({
      text: `tool:${withoutCacheControl(tool)}`,
      breakpoint: checkCacheControl(tool, where, count),
    })
  })
}

function checkSystem(system: unknown, count: { n: number }, blocks: PromptBlock[]): void {
  if (system === undefined) return
  if (typeof system === 'string') {
    if (system) blocks.push({ text: `system:${system}` })
    return
  }
  if (!Array.isArray(system)) fail('system: Input should be a valid string or list of text blocks')
  system.forEach((block, i) => {
    const where = `system.${i}`
    if (!isObject(block) || block.type !== 'text') fail(`${where}.type: Input should be 'text'`)
    if (text(block.text, `${where}.text`) === '') fail(`${where}.text: text content blocks must be non-empty`)
    blocks.push({
      text: `system:${withoutCacheControl(block)}`,
      breakpoint: checkCacheControl(block, where, count),
    })
  })
}

function checkThinking(body: Record<string, unknown>, version: string): boolean {
  const thinking = body.thinking
  if (version === '2026-10-21')
    for (const key of SAMPLING) if (body[key] !== undefined) fail(`${key}: Extra inputs are not permitted`)
  const output = body.output_config
  if (output !== undefined) {
    if (!isObject(output)) fail('output_config: Input should be an object')
    for (const key of Object.keys(output))
      if (key !== 'effort' && key !== 'format') fail(`output_config.${key}: Extra inputs are not permitted`)
    if (
      output.effort !== undefined &&
      !['low', 'medium', 'high', 'xhigh', 'max'].includes(String(output.effort))
    )
      fail("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
  }
  if (thinking === undefined) return false
  if (!isObject(thinking)) fail('thinking: Input should be an object')
  if (thinking.type === 'disabled') return false
  if (thinking.type === 'adaptive') return true
  if (thinking.type !== 'enabled') fail("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'")
  const budget = thinking.budget_tokens
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024)
    fail('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024')
  if (budget >= Number(body.max_tokens))
    fail(
      '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
    )
  if (body.temperature !== undefined && body.temperature !== 1)
    fail(
      '`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility',
    )
  if (body.top_k !== undefined) fail('`top_k` is not supported when thinking is enabled')
  return true
}

/** Validates a parsed body sent with `anthropic-version: version`. */
export function checkRequest(body: unknown, version: string): Checked {
  try {
    if (!isObject(body)) fail('The request body is not a valid JSON object')
    for (const key of Object.keys(body))
      if (!TOP_LEVEL.has(key)) fail(`${key}: Extra inputs are not permitted`)
    text(body.model, 'model')
    const max = body.max_tokens
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1)
      fail('max_tokens: Field required (a positive integer)')
    if (body.stream !== undefined && typeof body.stream !== 'boolean')
      fail('stream: Input should be a valid boolean')
    if (
      body.temperature !== undefined &&
      (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 1)
    )
      fail('temperature: Input should be between 0 and 1')
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      fail('messages: at least one message is required')
    const thinking = checkThinking(body, version)
    const count = { n: 0 }
    const blocks: PromptBlock[] = []
    checkTools(body.tools, count, blocks)
    checkSystem(body.system, count, blocks)
    const turns: Turn[] = []
    body.messages.forEach((raw, index) => {
      if (!isObject(raw)) fail(`messages.${index}: Input should be an object`)
      if (raw.role !== 'user' && raw.role !== 'assistant')
        fail(`messages.${index}.role: Input should be 'user' or 'assistant'`)
      for (const key of Object.keys(raw))
        if (key !== 'role' && key !== 'content')
          fail(`messages.${index}.${key}: Extra inputs are not permitted`)
      const message = raw as unknown as AnthropicMessage
      const turnBlocks = contentBlocks(message, index)
      const turn: Turn = { role: message.role, blocks: turnBlocks, index }
      turnBlocks.forEach((block, i) => {
        const breakpoint = checkBlock(turn, block, i, count)
        blocks.push({ text: `${message.role}:${withoutCacheControl(block)}`, breakpoint })
      })
      const previous = turns.at(-1)
      if (previous?.role === turn.role) previous.blocks.push(...turnBlocks)
      else turns.push(turn)
    })
    checkConversation(turns, thinking)
    return { ok: true, request: body as unknown as AnthropicRequest, thinking, blocks }
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: error.message }
    throw error
  }
}
