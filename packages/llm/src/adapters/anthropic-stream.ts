/**
 * Pure state machine from Anthropic stream events to `StreamEvent`s. Content blocks arrive by
 * index: text deltas pass through, thinking deltas become `reasoning_delta` and the signature is
 * kept with the thinking text, tool inputs are reassembled from `input_json_delta` fragments. The
 * final message keeps the blocks in the order the model produced them.
 */
import { LlmError } from '../errors.js'
import type { AssistantContent, StopReason, StreamEvent, Usage } from '../types.js'
import { makeUsage } from '../usage.js'
import { ANTHROPIC_API } from './anthropic-wire.js'

/** The fields of the SDK's `RawMessageStreamEvent` we read (it is assignable to this). */
export type AnthropicStreamEvent =
  | { type: 'message_start'; message: { usage?: WireUsage | null } }
  | { type: 'content_block_start'; index: number; content_block: { type: string; [key: string]: unknown } }
  | { type: 'content_block_delta'; index: number; delta: { type: string; [key: string]: unknown } }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason?: string | null }; usage?: Partial<WireUsage> | null }
  | { type: 'message_stop' }

export interface WireUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}

type Pending =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; call: number; id: string; name: string; json: string }
  | { kind: 'other' }

export function mapStopReason(reason: string | undefined, hasToolCalls: boolean): StopReason {
  switch (reason) {
    case 'tool_use':
      return 'tool_calls'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'refusal':
      return 'content_filter'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

export class AnthropicAssembler {
  private readonly blocks = new Map<number, Pending>()
  private usage: WireUsage = {}
  private stopReason: string | undefined
  private stopped = false
  private calls = 0
  private readonly ended = new Set<number>()

  push(event: AnthropicStreamEvent): StreamEvent[] {
    switch (event.type) {
      case 'message_start':
        this.usage = { ...event.message.usage }
        return []
      case 'content_block_start':
        return this.start(event.index, event.content_block)
      case 'content_block_delta':
        return this.delta(event.index, event.delta)
      case 'content_block_stop':
        return this.stop(event.index)
      case 'message_delta':
        if (event.delta.stop_reason) this.stopReason = event.delta.stop_reason
        // Later counts replace earlier ones; absent or null fields keep what message_start said.
        for (const [key, value] of Object.entries(event.usage ?? {}))
          if (typeof value === 'number') (this.usage as Record<string, number>)[key] = value
        return []
      case 'message_stop':
        this.stopped = true
        return []
      default:
        return []
    }
  }

  /** The closing events; throws a retryable error when the stream never reached message_stop. */
  finish(): StreamEvent[] {
    if (!this.stopped) throw new LlmError('server', 'the response stream ended before the model finished')
    const content: AssistantContent[] = []
    const events: StreamEvent[] = []
    for (const [index, block] of [...this.blocks.entries()].sort(([a], [b]) => a - b)) {
      if (block.kind === 'tool') events.push(...this.stop(index))
      const final = this.toContent(block)
      if (final) content.push(final)
    }
    const usage = this.finalUsage()
    const hasCalls = content.some((block) => block.type === 'tool_call')
    events.push({ type: 'usage', usage })
    events.push({
      type: 'done',
      stopReason: mapStopReason(this.stopReason, hasCalls),
      message: { role: 'assistant', content },
      usage,
    })
    return events
  }

  private start(index: number, block: { type: string; [key: string]: unknown }): StreamEvent[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text', text: String(block.text ?? '') })
        return block.text ? [{ type: 'text_delta', delta: String(block.text) }] : []
      case 'thinking':
        this.blocks.set(index, {
          kind: 'thinking',
          text: String(block.thinking ?? ''),
          signature: String(block.signature ?? ''),
        })
        return block.thinking ? [{ type: 'reasoning_delta', delta: String(block.thinking) }] : []
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'redacted', data: String(block.data ?? '') })
        return []
      case 'tool_use': {
        const call = this.calls++
        const id = String(block.id ?? `toolu_${call}`)
        const name = String(block.name ?? '')
        this.blocks.set(index, { kind: 'tool', call, id, name, json: '' })
        return [{ type: 'tool_call_start', index: call, id, name }]
      }
      default:
        // Server tools and other block types have no place in this conversation model.
        this.blocks.set(index, { kind: 'other' })
        return []
    }
  }

  private delta(index: number, delta: { type: string; [key: string]: unknown }): StreamEvent[] {
    const block = this.blocks.get(index)
    if (!block) return []
    if (delta.type === 'text_delta' && block.kind === 'text') {
      const text = String(delta.text ?? '')
      block.text += text
      return text ? [{ type: 'text_delta', delta: text }] : []
    }
    if (delta.type === 'thinking_delta' && block.kind === 'thinking') {
      const text = String(delta.thinking ?? '')
      block.text += text
      return text ? [{ type: 'reasoning_delta', delta: text }] : []
    }
    if (delta.type === 'signature_delta' && block.kind === 'thinking') {
      block.signature += String(delta.signature ?? '')
      return []
    }
    if (delta.type === 'input_json_delta' && block.kind === 'tool') {
      const piece = String(delta.partial_json ?? '')
      block.json += piece
      return piece ? [{ type: 'tool_call_delta', index: block.call, delta: piece }] : []
    }
    return []
  }

  private stop(index: number): StreamEvent[] {
    const block = this.blocks.get(index)
    if (block?.kind !== 'tool' || this.ended.has(index)) return []
    this.ended.add(index)
    return [
      {
        type: 'tool_call_end',
        index: block.call,
        toolCall: { id: block.id, name: block.name, arguments: block.json || '{}' },
      },
    ]
  }

  private toContent(block: Pending): AssistantContent | undefined {
    switch (block.kind) {
      case 'text':
        return block.text ? { type: 'text', text: block.text } : undefined
      case 'thinking':
        return { type: 'reasoning', text: block.text, api: ANTHROPIC_API, signature: block.signature }
      case 'redacted':
        return { type: 'reasoning', text: '', api: ANTHROPIC_API, redacted: block.data }
      case 'tool':
        return { type: 'tool_call', id: block.id, name: block.name, arguments: block.json || '{}' }
      case 'other':
        return undefined
    }
  }

  /** Anthropic reports fresh input, cache reads and cache writes apart; input is their sum. */
  private finalUsage(): Usage {
    const fresh = this.usage.input_tokens ?? 0
    const read = this.usage.cache_read_input_tokens ?? 0
    const write = this.usage.cache_creation_input_tokens ?? 0
    return makeUsage({
      input: fresh + read + write,
      output: this.usage.output_tokens ?? 0,
      cacheRead: read,
      cacheWrite: write,
    })
  }
}
