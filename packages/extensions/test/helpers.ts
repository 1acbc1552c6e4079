import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { HookEntry } from '@penguin-ai/config'
import {
  Engine,
  type EngineEvent,
  type EngineExtension,
  type EngineOptions,
  type ModelStreamFn,
} from '@penguin-ai/engine'
import {
  assistantMessage,
  type ChatRequest,
  makeUsage,
  type StreamEvent,
  type ToolCall,
} from '@penguin-ai/llm'
import { builtinTools, openWorkspace } from '@penguin-ai/tools'
import { afterEach } from 'vitest'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

export function tempDir(prefix = 'penguin-ext-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function writeScript(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  chmodSync(path, 0o755)
  return path
}

export type Step = { text?: string; calls?: { name: string; args: unknown }[] }

/** A model that plays `steps` in order (one per request) and records each request. */
export function scripted(steps: Step[]): { stream: ModelStreamFn; requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  let id = 0
  const stream: ModelStreamFn = (_model, request) => {
    requests.push(structuredClone({ ...request, signal: undefined }))
    const step = steps.shift() ?? { text: '(script exhausted)' }
    return (async function* (): AsyncGenerator<StreamEvent> {
      if (step.text) yield { type: 'text_delta', delta: step.text }
      const calls: ToolCall[] = (step.calls ?? []).map((call) => ({
        id: `call_${++id}`,
        name: call.name,
        arguments: JSON.stringify(call.args),
      }))
      for (const [index, call] of calls.entries()) {
        yield { type: 'tool_call_start', index, id: call.id, name: call.name }
        yield { type: 'tool_call_delta', index, delta: call.arguments }
        yield { type: 'tool_call_end', index, toolCall: call }
      }
      const usage = makeUsage({ input: 10, output: 5 })
      yield { type: 'usage', usage }
      const message = assistantMessage(step.text ?? '', calls)
      yield { type: 'done', stopReason: calls.length ? 'tool_calls' : 'stop', message, usage }
    })()
  }
  return { stream, requests }
}

export async function engineWith(
  dir: string,
  steps: Step[],
  extensions: EngineExtension[],
  options: Partial<EngineOptions> = {},
) {
  const { stream, requests } = scripted(steps)
  const events: EngineEvent[] = []
  const engine = new Engine({
    model: {
      id: 'test/model',
      provider: 'test',
      model: 'model',
      api: 'test',
      baseUrl: 'http://test.invalid',
      info: { contextWindow: 100_000, maxOutputTokens: 4096, inputPrice: 0, outputPrice: 0 },
    },
    workspace: await openWorkspace(dir),
    tools: builtinTools(),
    systemPrompt: 'test',
    stream,
    extensions,
    sessionId: 'session-1',
    ...options,
  })
  engine.subscribe((event) => events.push(event))
  return { engine, requests, events }
}

export function hook(event: string, command: string, extra: Partial<HookEntry> = {}): HookEntry {
  return { event, type: 'command', command, source: 'test', origin: 'user', ...extra }
}

export const toolResults = (request: ChatRequest | undefined) =>
  (request?.messages ?? []).filter((message) => message.role === 'tool')
