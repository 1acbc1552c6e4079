/**
 * Pure state machine from Chat Completions stream chunks to `StreamEvent`s: text deltas pass
 * through, tool-call fragments are reassembled per index (parallel calls may interleave), and the
 * final `done` carries the whole message.
 */
import { LlmError } from '../errors.js'
import type {
  AssistantContent,
  AssistantMessage,
  StopReason,
  StreamEvent,
  ToolCall,
  Usage,
} from '../types.js'
import { emptyUsage, fromWireUsage, type WireUsage } from '../usage.js'

export interface WireToolCallFragment {
  index?: number
  id?: string
  function?: { name?: string; arguments?: string }
}

/** The fields of a chunk we read. The SDK's `ChatCompletionChunk` is assignable to it. */
export interface WireChunk {
  choices?: Array<{
    delta?: {
      content?: string | null
      /** DeepSeek's and vLLM's readable reasoning; never sent back (DeepSeek rejects it). */
      reasoning_content?: string | null
      tool_calls?: WireToolCallFragment[] | null
    } | null
    finish_reason?: string | null
  }> | null
  usage?: WireUsage | null
}

interface PendingCall {
  index: number
  id: string
  name: string
  arguments: string
  started: boolean
  ended: boolean
}

export function mapFinishReason(reason: string, hasToolCalls: boolean): StopReason {
  switch (reason) {
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content_filter'
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls'
    default:
      // Some compatible endpoints (Gemini's among them) say `stop` after tool calls.
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

export class ChunkAssembler {
  private text = ''
  private reasoning = ''
  private readonly calls = new Map<number, PendingCall>()
  private finishReason: string | undefined
  private usage: Usage | undefined

  /** Whether the stream reported it finished; a stream that ends without it was cut off. */
  get finished(): boolean {
    return this.finishReason !== undefined
  }

  push(chunk: WireChunk): StreamEvent[] {
    const events: StreamEvent[] = []
    if (chunk.usage) this.usage = fromWireUsage(chunk.usage)
    const choice = chunk.choices?.[0]
    if (!choice) return events
    const reasoning = choice.delta?.reasoning_content
    if (reasoning) {
      this.reasoning += reasoning
      events.push({ type: 'reasoning_delta', delta: reasoning })
    }
    const content = choice.delta?.content
    if (content) {
      this.text += content
      events.push({ type: 'text_delta', delta: content })
    }
    for (const fragment of choice.delta?.tool_calls ?? []) this.pushToolCall(fragment, events)
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason
      this.endCalls(events)
    }
    return events
  }

  /** The closing events. Throws a retryable error when the stream never said it finished. */
  finish(): StreamEvent[] {
    if (this.finishReason === undefined) {
      throw new LlmError('server', 'the response stream ended before the model finished')
    }
    const events: StreamEvent[] = []
    this.endCalls(events)
    const toolCalls = this.toolCalls()
    const usage = this.usage ?? emptyUsage()
    if (this.usage) events.push({ type: 'usage', usage })
    const content: AssistantContent[] = []
    if (this.reasoning) content.push({ type: 'reasoning', text: this.reasoning, api: 'openai-chat' })
    if (this.text) content.push({ type: 'text', text: this.text })
    for (const call of toolCalls) content.push({ type: 'tool_call', ...call })
    const message: AssistantMessage = { role: 'assistant', content }
    events.push({
      type: 'done',
      stopReason: mapFinishReason(this.finishReason, toolCalls.length > 0),
      message,
      usage,
    })
    return events
  }

  private pushToolCall(fragment: WireToolCallFragment, events: StreamEvent[]): void {
    const index = fragment.index ?? this.indexWithoutIndex(fragment.id)
    let call = this.calls.get(index)
    if (!call) {
      call = {
        index,
        id: fragment.id || `call_${index}`,
        name: '',
        arguments: '',
        started: false,
        ended: false,
      }
      this.calls.set(index, call)
    }
    if (call.ended) return
    if (fragment.function?.name && !call.name) call.name = fragment.function.name
    const args = fragment.function?.arguments ?? ''
    call.arguments += args
    if (!call.started && call.name) {
      call.started = true
      events.push({ type: 'tool_call_start', index, id: call.id, name: call.name })
      // Fragments that came before the name are delivered now, in one piece.
      if (call.arguments) events.push({ type: 'tool_call_delta', index, delta: call.arguments })
    } else if (call.started && args) {
      events.push({ type: 'tool_call_delta', index, delta: args })
    }
  }

  /** Endpoints that omit `index` send whole calls: a new id means a new call, none continues the last. */
  private indexWithoutIndex(id: string | undefined): number {
    if (this.calls.size === 0) return 0
    for (const call of this.calls.values()) if (id && call.id === id) return call.index
    const last = Math.max(...this.calls.keys())
    return id ? last + 1 : last
  }

  private endCalls(events: StreamEvent[]): void {
    for (const call of this.sortedCalls()) {
      if (call.ended) continue
      if (!call.started) {
        call.started = true
        events.push({ type: 'tool_call_start', index: call.index, id: call.id, name: call.name })
        if (call.arguments) events.push({ type: 'tool_call_delta', index: call.index, delta: call.arguments })
      }
      call.ended = true
      events.push({ type: 'tool_call_end', index: call.index, toolCall: this.toToolCall(call) })
    }
  }

  private sortedCalls(): PendingCall[] {
    return [...this.calls.values()].sort((a, b) => a.index - b.index)
  }

  private toToolCall(call: PendingCall): ToolCall {
    return { id: call.id, name: call.name, arguments: call.arguments }
  }

  private toolCalls(): ToolCall[] {
    return this.sortedCalls().map((c) => this.toToolCall(c))
  }
}
