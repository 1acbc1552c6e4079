import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelStreamFn } from '@penguin-ai/engine'
import {
  assistantMessage,
  type ChatRequest,
  makeUsage,
  type ResolvedModel,
  type StreamEvent,
} from '@penguin-ai/llm'

export async function tempDir(prefix = 'penguin-sessions-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export function testModel(): ResolvedModel {
  return {
    id: 'test/model',
    provider: 'test',
    model: 'model',
    api: 'test',
    baseUrl: 'http://test.invalid',
    info: { contextWindow: 100_000, maxOutputTokens: 4096, inputPrice: 1, outputPrice: 2 },
  }
}

export type Step = { text?: string; calls?: Array<{ name: string; args: unknown }> }

/** A model that plays steps in order and records each request, speaking the stream contract. */
export function scripted(steps: Step[]): { stream: ModelStreamFn; requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  let n = 0
  const stream: ModelStreamFn = (_model, request) => {
    requests.push({ ...request, messages: structuredClone(request.messages) })
    const step = steps.shift() ?? { text: 'done' }
    return (async function* (): AsyncGenerator<StreamEvent> {
      const toolCalls = (step.calls ?? []).map((call) => ({
        id: `call_${++n}`,
        name: call.name,
        arguments: JSON.stringify(call.args),
      }))
      if (step.text) yield { type: 'text_delta', delta: step.text }
      const usage = makeUsage({ input: 100, output: 10 })
      yield { type: 'usage', usage }
      yield {
        type: 'done',
        stopReason: toolCalls.length ? 'tool_calls' : 'stop',
        message: assistantMessage(step.text ?? '', toolCalls),
        usage,
      }
    })()
  }
  return { stream, requests }
}
