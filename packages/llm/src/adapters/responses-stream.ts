/**
 * Pure state machine from Responses API stream events to `StreamEvent`s. Output items arrive by
 * `output_index`: reasoning summaries stream as `reasoning_delta`, message text as `text_delta`,
 * function-call arguments as `tool_call_delta`. `response.output_item.done` carries each finished
 * item whole, which becomes the final content block (reasoning with its id, summary parts and
 * encrypted content, kept to be sent back).
 */
import { LlmError } from '../errors.js'
import type { AssistantContent, StopReason, StreamEvent, Usage } from '../types.js'
import { emptyUsage, makeUsage } from '../usage.js'
import { RESPONSES_API } from './responses-wire.js'

/** The fields of the SDK's `ResponseStreamEvent` we read (it is assignable to this). */
export interface ResponsesStreamEvent {
  type: string
  output_index?: number
  item?: { type: string; [key: string]: unknown }
  delta?: string
  summary_index?: number
  response?: {
    status?: string | null
    usage?: WireUsage | null
    error?: { code?: string | null; message?: string | null } | null
    incomplete_details?: { reason?: string | null } | null
  }
  code?: string | null
  message?: string | null
}

interface WireUsage {
  input_tokens?: number
  output_tokens?: number
  total_tokens?: number
  input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null
}

type Pending =
  | { kind: 'reasoning'; parts: number }
  | { kind: 'message' }
  | { kind: 'call'; call: number; id: string; name: string; args: string; ended: boolean }
  | { kind: 'other' }

/** The error codes a failed response or an `error` event may carry, as typed failures. */
export function responseError(code: string | null | undefined, message: string | null | undefined): LlmError {
  const text = message || code || 'the response failed'
  switch (code) {
    case 'rate_limit_exceeded':
      return new LlmError('rate_limited', `rate limited by openai: ${text}`)
    case 'context_length_exceeded':
      return new LlmError('context_too_long', `the conversation is too long: ${text}`)
    case 'server_error':
    case null:
    case undefined:
      return new LlmError('server', `openai server error: ${text}`)
    default:
      // invalid_prompt, image problems and the like: sending the same request again will not help.
      return new LlmError('bad_request', `openai rejected the request (${code}): ${text}`)
  }
}

export class ResponsesAssembler {
  private readonly items = new Map<number, Pending>()
  private readonly content = new Map<number, AssistantContent>()
  private calls = 0
  private usage: Usage | undefined
  private stop: StopReason | undefined

  push(event: ResponsesStreamEvent): StreamEvent[] {
    const index = event.output_index ?? -1
    switch (event.type) {
      case 'response.output_item.added':
        return this.added(index, event.item)
      case 'response.reasoning_summary_part.added':
        return this.summaryPart(index)
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return event.delta ? [{ type: 'reasoning_delta', delta: event.delta }] : []
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return event.delta ? [{ type: 'text_delta', delta: event.delta }] : []
      case 'response.function_call_arguments.delta':
        return this.argumentsDelta(index, event.delta ?? '')
      case 'response.output_item.done':
        return this.itemDone(index, event.item)
      case 'response.completed':
        this.finishWith(event.response, undefined)
        return []
      case 'response.incomplete': {
        const reason = event.response?.incomplete_details?.reason
        this.finishWith(event.response, reason === 'content_filter' ? 'content_filter' : 'length')
        return []
      }
      case 'response.failed':
        throw responseError(event.response?.error?.code, event.response?.error?.message)
      case 'error':
        throw responseError(event.code, event.message)
      default:
        return []
    }
  }

  /** The closing events; throws a retryable error when the stream never completed. */
  finish(): StreamEvent[] {
    if (!this.stop) throw new LlmError('server', 'the response stream ended before the model finished')
    const content = [...this.content.entries()].sort(([a], [b]) => a - b).map(([, block]) => block)
    const usage = this.usage ?? emptyUsage()
    const stopReason =
      this.stop === 'stop' && content.some((b) => b.type === 'tool_call') ? 'tool_calls' : this.stop
    return [
      ...(this.usage ? [{ type: 'usage' as const, usage }] : []),
      { type: 'done', stopReason, message: { role: 'assistant', content }, usage },
    ]
  }

  private finishWith(response: ResponsesStreamEvent['response'], reason: StopReason | undefined): void {
    const wire = response?.usage
    if (wire)
      this.usage = makeUsage({
        input: wire.input_tokens ?? 0,
        output: wire.output_tokens ?? 0,
        cacheRead: wire.input_tokens_details?.cached_tokens ?? 0,
        cacheWrite: wire.input_tokens_details?.cache_write_tokens ?? 0,
        ...(wire.total_tokens === undefined ? {} : { total: wire.total_tokens }),
      })
    this.stop = reason ?? 'stop'
  }

  private added(index: number, item: ResponsesStreamEvent['item']): StreamEvent[] {
    if (item?.type === 'reasoning') this.items.set(index, { kind: 'reasoning', parts: 0 })
    else if (item?.type === 'message') this.items.set(index, { kind: 'message' })
    else if (item?.type === 'function_call') {
      const call = this.calls++
      const id = String(item.call_id ?? item.id ?? `call_${call}`)
      const name = String(item.name ?? '')
      this.items.set(index, { kind: 'call', call, id, name, args: '', ended: false })
      return [{ type: 'tool_call_start', index: call, id, name }]
    } else this.items.set(index, { kind: 'other' })
    return []
  }

  /** Summary parts are paragraphs: a blank line between them, as in the joined text. */
  private summaryPart(index: number): StreamEvent[] {
    const item = this.items.get(index)
    if (item?.kind !== 'reasoning') return []
    return item.parts++ > 0 ? [{ type: 'reasoning_delta', delta: '\n\n' }] : []
  }

  private argumentsDelta(index: number, delta: string): StreamEvent[] {
    const item = this.items.get(index)
    if (item?.kind !== 'call' || !delta) return []
    item.args += delta
    return [{ type: 'tool_call_delta', index: item.call, delta }]
  }

  private itemDone(index: number, item: ResponsesStreamEvent['item']): StreamEvent[] {
    if (!item) return []
    if (item.type === 'reasoning') {
      const summary = Array.isArray(item.summary)
        ? item.summary.flatMap((part) => (typeof part?.text === 'string' ? [part.text as string] : []))
        : []
      this.content.set(index, {
        type: 'reasoning',
        text: summary.join('\n\n'),
        api: RESPONSES_API,
        id: String(item.id ?? ''),
        summary,
        ...(typeof item.encrypted_content === 'string' ? { encrypted: item.encrypted_content } : {}),
      })
      return []
    }
    if (item.type === 'message') {
      const parts = Array.isArray(item.content) ? item.content : []
      const text = parts
        .map((part: { text?: unknown; refusal?: unknown }) =>
          typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '',
        )
        .join('')
      if (text) this.content.set(index, { type: 'text', text })
      return []
    }
    if (item.type === 'function_call') {
      const pending = this.items.get(index)
      const call = pending?.kind === 'call' ? pending : undefined
      const id = String(item.call_id ?? call?.id ?? '')
      const name = String(item.name ?? call?.name ?? '')
      const args = typeof item.arguments === 'string' ? item.arguments : (call?.args ?? '')
      this.content.set(index, { type: 'tool_call', id, name, arguments: args })
      if (!call || call.ended) return []
      call.ended = true
      return [{ type: 'tool_call_end', index: call.call, toolCall: { id, name, arguments: args } }]
    }
    return []
  }
}
