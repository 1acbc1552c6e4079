import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { HookEntry } from '@penguin-ai/config'
import { Engine, type EngineEvent, type EngineExtension, type EngineOptions } from '@penguin-ai/engine'
import type { ChatRequest } from '@penguin-ai/llm'
import { type AnswerStep, scriptedStream, testModel } from '@penguin-ai/testkit'
import { builtinTools, openWorkspace } from '@penguin-ai/tools'
import { ClaudeHooks } from '../src/index.js'

export function writeScript(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  chmodSync(path, 0o755)
  return path
}

export async function engineWith(
  dir: string,
  steps: AnswerStep[],
  extensions: EngineExtension[],
  options: Partial<EngineOptions> = {},
) {
  const { stream, requests } = scriptedStream(steps, { whenExhausted: { text: '(script exhausted)' } })
  const events: EngineEvent[] = []
  const engine = new Engine({
    model: testModel({ inputPrice: 0, outputPrice: 0 }),
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

export const hooksFor = (dir: string, entries: HookEntry[]) =>
  new ClaudeHooks({ hooks: entries, cwd: dir, env: { PATH: process.env.PATH ?? '' } })

export const finished = (events: EngineEvent[]) =>
  events.filter(
    (event): event is Extract<EngineEvent, { type: 'tool.finished' }> => event.type === 'tool.finished',
  )

export const notices = (events: EngineEvent[]) =>
  events.filter((event): event is Extract<EngineEvent, { type: 'notice' }> => event.type === 'notice')

/** Records what a hook got on stdin, one JSON document per line. */
export const RECORD = (file: string) => `cat >> ${file}; echo >> ${file}`
export const recorded = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
