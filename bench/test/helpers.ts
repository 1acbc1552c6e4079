import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ResolvedModel, resolveModel } from '@penguin-ai/llm'
import type { MockServer, RecordedRequest } from '@penguin-ai/mock-llm'

/**
 * The maintainers' shared data directory: `../shared/data` beside the repository (never copied into
 * it); `PENGUIN_SHARED_DATA` or the workplace's `/work/shared/data` when the checkout lives elsewhere.
 * Its absence is an error, not a skip: CI machines have it.
 */
function sharedData(file: string): string {
  const candidates = [
    process.env.PENGUIN_SHARED_DATA ? join(process.env.PENGUIN_SHARED_DATA, file) : undefined,
    fileURLToPath(new URL(`../../../shared/data/${file}`, import.meta.url)),
    join('/work/shared/data', file),
  ].filter((path): path is string => path !== undefined)
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string)
}

export const HUMANEVAL_PATH = sharedData('HumanEval.jsonl.gz')

/** The official SWE-bench Lite instances, for checking that the reader accepts the real format. */
export const SWE_LITE_PATH = sharedData('swe-bench-lite.jsonl.gz')

export function requireHumanEval(): string {
  if (!existsSync(HUMANEVAL_PATH)) {
    throw new Error(
      `HumanEval data is missing: expected ${HUMANEVAL_PATH} (../shared/data/HumanEval.jsonl.gz from the repository root).`,
    )
  }
  return HUMANEVAL_PATH
}

/** `openai/gpt-4o` pointed at the mock server: the real OpenAI adapter, real HTTP, real prices. */
export function mockModel(server: MockServer): ResolvedModel {
  return resolveModel('openai/gpt-4o', { baseUrl: server.url, apiKey: 'sk-test' })
}

export function tempDir(prefix = 'penguin-bench-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

interface WireMessage {
  role: string
  content?: unknown
}

/** The request's messages with their text content. */
export function messagesOf(request: RecordedRequest): Array<{ role: string; content: string }> {
  const messages = (request.body?.messages ?? []) as WireMessage[]
  return messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' }))
}

export function userText(request: RecordedRequest): string {
  return messagesOf(request).find((m) => m.role === 'user')?.content ?? ''
}

export function hasToolResult(request: RecordedRequest): boolean {
  return messagesOf(request).some((m) => m.role === 'tool')
}
