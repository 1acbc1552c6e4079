/**
 * Pure builders for OpenAI Responses answers: the exact event sequence of a streamed turn
 * (response.created, response.in_progress, each output item added → deltas → done, then
 * response.completed or response.incomplete) with increasing `sequence_number`s, and the body of a
 * non-streamed one.
 */
import { argumentsText, splitText } from '../completion.js'
import { seal } from '../signing.js'
import type { MockTurn, ReportedUsage } from '../types.js'
import { ENCRYPTED, type ResponsesRequest } from './validate.js'

export interface ResponsesContext {
  id: string
  model: string
  turnIndex: number
  created: number
  request: ResponsesRequest
  /** The model reasons (a reasoning item is produced when the turn has reasoning or the request asks for summaries). */
  reasons: boolean
  usage: ReportedUsage
}

export interface ResponsesEvent {
  type: string
  [key: string]: unknown
}

type Item =
  | { type: 'reasoning'; id: string; summary: string[]; encrypted?: string }
  | { type: 'message'; id: string; text: string }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string }

/** What a reasoning model's summary says when the script gives it no reasoning. */
export const DEFAULT_SUMMARY = 'Working out the next step.'

function itemsOf(turn: MockTurn, ctx: ResponsesContext): Item[] {
  const items: Item[] = []
  const { request } = ctx
  if (ctx.reasons) {
    const id = `rs_mock_${ctx.turnIndex}`
    const text = turn.reasoning ?? DEFAULT_SUMMARY
    const summary = request.reasoning?.summary ? text.split(/\n\n+/) : []
    const wantsEncrypted = request.include?.includes('reasoning.encrypted_content') === true
    items.push({
      type: 'reasoning',
      id,
      summary,
      ...(wantsEncrypted ? { encrypted: seal(ENCRYPTED, JSON.stringify({ id, text })) } : {}),
    })
  }
  if (turn.text) items.push({ type: 'message', id: `msg_mock_${ctx.turnIndex}`, text: turn.text })
  for (const [i, call] of (turn.toolCalls ?? []).entries()) {
    items.push({
      type: 'function_call',
      id: `fc_mock_${ctx.turnIndex}_${i}`,
      call_id: call.id ?? `call_mock_${ctx.turnIndex}_${i}`,
      name: call.name,
      arguments: argumentsText(call),
    })
  }
  return items
}

function itemJson(item: Item, done: boolean): Record<string, unknown> {
  switch (item.type) {
    case 'reasoning':
      return {
        id: item.id,
        type: 'reasoning',
        summary: done ? item.summary.map((text) => ({ type: 'summary_text', text })) : [],
        ...(item.encrypted !== undefined ? { encrypted_content: item.encrypted } : {}),
      }
    case 'message':
      return {
        id: item.id,
        type: 'message',
        status: done ? 'completed' : 'in_progress',
        role: 'assistant',
        content: done ? [{ type: 'output_text', text: item.text, annotations: [], logprobs: [] }] : [],
      }
    case 'function_call':
      return {
        id: item.id,
        type: 'function_call',
        status: done ? 'completed' : 'in_progress',
        call_id: item.call_id,
        name: item.name,
        arguments: done ? item.arguments : '',
      }
  }
}

function usageJson(usage: ReportedUsage) {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  }
}

function responseJson(ctx: ResponsesContext, status: string, output: unknown[], turn?: MockTurn) {
  const { request } = ctx
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.created,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: incompleteReason(turn) } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: ctx.reasons
      ? { effort: request.reasoning?.effort ?? 'medium', summary: request.reasoning?.summary ?? null }
      : null,
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: request.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: status === 'in_progress' ? null : usageJson(ctx.usage),
    metadata: {},
  }
}

function incompleteReason(turn: MockTurn | undefined): string {
  return turn?.finishReason === 'content_filter' ? 'content_filter' : 'max_output_tokens'
}

function statusOf(turn: MockTurn): 'completed' | 'incomplete' {
  return turn.finishReason === 'length' || turn.finishReason === 'content_filter' ? 'incomplete' : 'completed'
}

/** The events of a streamed turn, numbered. */
export function streamEvents(turn: MockTurn, ctx: ResponsesContext): ResponsesEvent[] {
  const events: Array<{ type: string; [key: string]: unknown }> = []
  events.push({ type: 'response.created', response: responseJson(ctx, 'in_progress', []) })
  events.push({ type: 'response.in_progress', response: responseJson(ctx, 'in_progress', []) })
  const items = itemsOf(turn, ctx)
  items.forEach((item, output_index) => {
    events.push({ type: 'response.output_item.added', output_index, item: itemJson(item, false) })
    const item_id = item.id
    if (item.type === 'reasoning') {
      item.summary.forEach((text, summary_index) => {
        const part = { type: 'summary_text', text: '' }
        events.push({
          type: 'response.reasoning_summary_part.added',
          item_id,
          output_index,
          summary_index,
          part,
        })
        for (const delta of splitText(text, Math.max(2, Math.ceil(text.length / 20))))
          events.push({
            type: 'response.reasoning_summary_text.delta',
            item_id,
            output_index,
            summary_index,
            delta,
          })
        events.push({
          type: 'response.reasoning_summary_text.done',
          item_id,
          output_index,
          summary_index,
          text,
        })
        events.push({
          type: 'response.reasoning_summary_part.done',
          item_id,
          output_index,
          summary_index,
          part: { type: 'summary_text', text },
        })
      })
    } else if (item.type === 'message') {
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] }
      events.push({ type: 'response.content_part.added', item_id, output_index, content_index: 0, part })
      for (const delta of splitText(item.text, Math.max(3, Math.ceil(item.text.length / 12))))
        events.push({
          type: 'response.output_text.delta',
          item_id,
          output_index,
          content_index: 0,
          delta,
          logprobs: [],
        })
      events.push({
        type: 'response.output_text.done',
        item_id,
        output_index,
        content_index: 0,
        text: item.text,
        logprobs: [],
      })
      events.push({
        type: 'response.content_part.done',
        item_id,
        output_index,
        content_index: 0,
        part: { ...part, text: item.text },
      })
    } else {
      for (const delta of splitText(item.arguments, Math.max(3, Math.ceil(item.arguments.length / 10))))
        events.push({ type: 'response.function_call_arguments.delta', item_id, output_index, delta })
      events.push({
        type: 'response.function_call_arguments.done',
        item_id,
        output_index,
        name: item.name,
        arguments: item.arguments,
      })
    }
    events.push({ type: 'response.output_item.done', output_index, item: itemJson(item, true) })
  })
  const status = statusOf(turn)
  events.push({
    type: status === 'completed' ? 'response.completed' : 'response.incomplete',
    response: responseJson(
      ctx,
      status,
      items.map((item) => itemJson(item, true)),
      turn,
    ),
  })
  return events.map((event, sequence_number): ResponsesEvent => ({ ...event, sequence_number }))
}

/** The body of a non-streamed turn. */
export function responseBody(turn: MockTurn, ctx: ResponsesContext) {
  const items = itemsOf(turn, ctx)
  return responseJson(
    ctx,
    statusOf(turn),
    items.map((item) => itemJson(item, true)),
    turn,
  )
}

export function outputText(turn: MockTurn, reasons: boolean): string {
  const calls = (turn.toolCalls ?? []).map((call) => call.name + argumentsText(call)).join('')
  return `${reasons ? (turn.reasoning ?? DEFAULT_SUMMARY) : ''}${turn.text ?? ''}${calls}`
}
