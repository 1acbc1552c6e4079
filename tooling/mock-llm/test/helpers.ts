/** Test helpers: a hand-rolled SSE reader, so these tests check the wire format and not a client. */

export interface SseEvent {
  data: string
}

/** Splits an SSE body into its `data:` events, asserting the framing is `data: ...\n\n`. */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const block of body.split('\n\n')) {
    if (block === '') continue
    if (!block.startsWith('data: ')) throw new Error(`unexpected SSE block: ${JSON.stringify(block)}`)
    events.push({ data: block.slice('data: '.length) })
  }
  return events
}

export interface ChunkToolCall {
  index: number
  id?: string
  type?: string
  function?: { name?: string; arguments?: string }
}

export interface Chunk {
  object: string
  choices: Array<{
    delta: { role?: string; content?: string; tool_calls?: ChunkToolCall[] }
    finish_reason: string | null
  }>
  usage?: {
    prompt_tokens: number
    completion_tokens: number
    total_tokens: number
    prompt_tokens_details?: { cached_tokens: number }
  } | null
}

/** The JSON chunks of a stream, checking it ends with `[DONE]`. */
export function chunksOf(body: string): Chunk[] {
  const events = parseSse(body)
  const last = events.pop()
  if (last?.data !== '[DONE]') throw new Error('stream did not end with [DONE]')
  return events.map((e) => JSON.parse(e.data) as Chunk)
}

export function chatBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }], ...extra })
}

export function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(signal ? { signal } : {}),
  })
}

export interface ErrorJson {
  error: { message: string; type: string; code: string | null }
}

export interface CompletionJson {
  choices: Array<{
    message: { content: string | null; tool_calls?: unknown[] }
    finish_reason: string
  }>
}

export interface ModelListJson {
  data: Array<{ id: string }>
}

/** A response body as the shape the test expects; a wrong shape fails the assertions that follow. */
export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}
