/**
 * A scripted model for in-process tests of the engine and everything built on it: a function with
 * the engine's `ModelStreamFn` shape that plays one step per request and records every request. It
 * speaks the `StreamEvent` contract exactly as a real adapter does (text in word-sized deltas, tool
 * call arguments in two pieces, usage, then `done`). Tests that need the wire (HTTP, the official
 * SDKs) use `@penguin-ai/mock-llm` instead.
 */
import {
  AbortedError,
  assistantMessage,
  type CallOptions,
  type ChatRequest,
  type LlmError,
  makeUsage,
  type ResolvedModel,
  type StreamEvent,
  type ToolCall,
} from '@penguin-ai/llm'

/** The engine's model stream function (`ModelStreamFn` in @penguin-ai/engine), structurally. */
export type ScriptedStreamFn = (
  model: ResolvedModel,
  request: ChatRequest,
  options?: CallOptions,
) => AsyncIterable<StreamEvent>

export interface AnswerStep {
  text?: string
  calls?: Array<{ name: string; args: unknown; id?: string }>
  /** [input, output] tokens (default [100, 10]). */
  usage?: [number, number]
}

export type ScriptStep =
  | AnswerStep
  | { error: LlmError }
  /** Streams some text, drops the connection (a `retry` event), then answers `retried`. */
  | { retryAfterText: string; retried: { text: string } }

export interface ScriptOptions {
  /** What to answer once the steps run out (default: the stream fails with "script exhausted"). */
  whenExhausted?: AnswerStep
}

/** A model id that resolves nowhere: for engines driven by a scripted stream. */
export function testModel(overrides: Partial<ResolvedModel['info']> = {}): ResolvedModel {
  return {
    id: 'test/model',
    provider: 'test',
    model: 'model',
    api: 'test',
    baseUrl: 'http://test.invalid',
    info: { contextWindow: 100_000, maxOutputTokens: 4096, inputPrice: 1, outputPrice: 2, ...overrides },
  }
}

/**
 * Plays `steps` in order, one per request (or asks `steps(request, index)` for conversations whose
 * course depends on what is sent). `requests` holds a copy of each request as it was sent.
 */
export function scriptedStream(
  steps: ScriptStep[] | ((request: ChatRequest, index: number) => ScriptStep),
  options: ScriptOptions = {},
): { stream: ScriptedStreamFn; requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  let callCounter = 0
  const stream: ScriptedStreamFn = (_model, request) => {
    requests.push({ ...request, messages: structuredClone(request.messages) })
    const step =
      (typeof steps === 'function' ? steps(request, requests.length - 1) : steps.shift()) ??
      options.whenExhausted
    return (async function* (): AsyncGenerator<StreamEvent> {
      if (!step) throw new Error('script exhausted')
      if (request.signal?.aborted) {
        yield { type: 'error', error: new AbortedError() }
        return
      }
      if ('error' in step) {
        yield { type: 'error', error: step.error }
        return
      }
      if ('retryAfterText' in step) {
        yield { type: 'text_delta', delta: step.retryAfterText }
        yield { type: 'retry', attempt: 1, delayMs: 0, reason: 'connection dropped' }
        yield* answer({ text: step.retried.text })
        return
      }
      yield* answer(step)
    })()
  }

  function* answer(step: AnswerStep): Generator<StreamEvent> {
    const text = step.text ?? ''
    for (const word of text.split(/(?<= )/)) if (word) yield { type: 'text_delta', delta: word }
    const toolCalls: ToolCall[] = (step.calls ?? []).map((call) => ({
      id: call.id ?? `call_${++callCounter}`,
      name: call.name,
      arguments: typeof call.args === 'string' ? call.args : JSON.stringify(call.args),
    }))
    for (const [index, call] of toolCalls.entries()) {
      yield { type: 'tool_call_start', index, id: call.id, name: call.name }
      // Arguments arrive in pieces, as they do from real providers.
      const half = Math.floor(call.arguments.length / 2)
      yield { type: 'tool_call_delta', index, delta: call.arguments.slice(0, half) }
      yield { type: 'tool_call_delta', index, delta: call.arguments.slice(half) }
      yield { type: 'tool_call_end', index, toolCall: call }
    }
    const [input, output] = step.usage ?? [100, 10]
    const usage = makeUsage({ input, output })
    yield { type: 'usage', usage }
    const message = assistantMessage(text, toolCalls)
    yield { type: 'done', stopReason: toolCalls.length ? 'tool_calls' : 'stop', message, usage }
  }

  return { stream, requests }
}
