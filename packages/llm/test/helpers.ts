import type { MockServer } from '@penguin-ai/mock-llm'
import {
  type CallOptions,
  type ChatRequest,
  type ResolvedModel,
  resolveModel,
  type StreamEvent,
  streamChat,
  type ToolSpec,
  userMessage,
} from '../src/index.js'

/** Tiny delays so retry tests take milliseconds, not seconds. */
export const FAST_RETRY: CallOptions['retry'] = {
  maxAttempts: 4,
  baseDelayMs: 5,
  maxDelayMs: 20,
  maxTotalDelayMs: 2_000,
}

/** A model pointed at the mock server, exactly as `--base-url` would resolve it. */
export function mockModel(server: { url: string }, apiKey?: string): ResolvedModel {
  return resolveModel('mock-model', { baseUrl: server.url, env: {}, ...(apiKey ? { apiKey } : {}) })
}

export function userRequest(text = 'hello', extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [userMessage(text)], ...extra }
}

/** Runs streamChat to the end and returns every event, asserting iteration itself never throws. */
export async function run(model: ResolvedModel, request: ChatRequest, options: CallOptions = {}) {
  const events: StreamEvent[] = []
  const stream = streamChat(model, request, { retry: FAST_RETRY, timeoutMs: 5_000, ...options })
  for await (const event of stream) events.push(event)
  const last = events.at(-1)
  const terminal = events.filter((e) => e.type === 'done' || e.type === 'error')
  if (terminal.length !== 1 || terminal[0] !== last)
    throw new Error('stream must end with exactly one done or error')
  return { events, stream, last }
}

export function streamedText(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'text_delta' ? e.delta : '')).join('')
}

export function errorOf(events: StreamEvent[]) {
  const last = events.at(-1)
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${last?.type}`)
  return last.error
}

export function doneOf(events: StreamEvent[]) {
  const last = events.at(-1)
  if (last?.type !== 'done') {
    throw new Error(
      `expected a done event, got ${last?.type}: ${last?.type === 'error' ? last.error.message : ''}`,
    )
  }
  return last
}

export function chatRequests(server: MockServer) {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'))
}

/** The one tool the wire tests (anthropic, responses) offer. */
export const READ_FILE_TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
]

/** A system prompt long enough for the 1,024-token minimum the mock (like Anthropic) puts on a cacheable prefix. */
export const LONG_SYSTEM = `You are Penguin.\n${'Follow the project conventions carefully. '.repeat(120)}`

/** The JSON body of the mock's `index`th request. */
export function requestBody(server: MockServer | undefined, index: number): Record<string, unknown> {
  const request = server?.requests[index]
  if (!request) throw new Error(`no request ${index}`)
  return request.json as Record<string, unknown>
}
