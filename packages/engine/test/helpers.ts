import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AbortedError,
  assistantMessage,
  type ChatRequest,
  type LlmError,
  makeUsage,
  type ResolvedModel,
  type StreamEvent,
  type ToolCall,
} from '@penguin-ai/llm'
import type { ModelStreamFn } from '../src/index.js'

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

export type ScriptStep =
  | { text?: string; calls?: Array<{ name: string; args: unknown; id?: string }>; usage?: [number, number] }
  | { error: LlmError }
  | { retryAfterText: string; retried: { text: string } }

/**
 * A model stream that plays a script, one step per request, and records what it was sent.
 * It speaks the StreamEvent contract exactly as a real adapter does. The script may also be a
 * function of the request (and its index), for conversations whose course depends on what is sent.
 */
export function scriptedStream(steps: ScriptStep[] | ((request: ChatRequest, index: number) => ScriptStep)): {
  stream: ModelStreamFn
  requests: ChatRequest[]
} {
  const requests: ChatRequest[] = []
  let callCounter = 0
  const stream: ModelStreamFn = (_model, request) => {
    requests.push({ ...request, messages: structuredClone(request.messages) })
    const step = typeof steps === 'function' ? steps(request, requests.length - 1) : steps.shift()
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
        yield* finalEvents({ text: step.retried.text })
        return
      }
      yield* finalEvents(step)
    })()

    function* finalEvents(step: {
      text?: string
      calls?: Array<{ name: string; args: unknown; id?: string }>
      usage?: [number, number]
    }): Generator<StreamEvent> {
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
  }
  return { stream, requests }
}

export async function tempDir(prefix = 'penguin-engine-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}
