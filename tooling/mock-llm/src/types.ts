/** Public types of the mock server. Kept apart from the server so scripts can import them cheaply. */

/** `arguments` as a string is sent verbatim, so a test can script malformed JSON. */
export interface MockToolCall {
  id?: string
  name: string
  arguments: string | Record<string, unknown>
}

export type MockFault =
  /** An HTTP error with an OpenAI-style body `{error: {message, type, code, param}}`. */
  | {
      status: number
      /** Seconds, sent verbatim as the `Retry-After` header (fractions allowed, for fast tests). */
      retryAfter?: number
      /** Replaces the whole JSON body (strings are sent as-is). */
      body?: unknown
      /** Replaces the default `error.message`. */
      message?: string
      /** Replaces the default `error.code`. */
      code?: string
      /** Extra response headers, e.g. `retry-after-ms`. */
      headers?: Record<string, string>
    }
  /** Start a 200 response, send N chunks, then destroy the socket mid-body. */
  | { dropAfterChunks: number }
  /** Destroy the socket before any response. */
  | { hangup: true }

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter'

export interface MockUsage {
  prompt_tokens: number
  completion_tokens: number
  cached_tokens?: number
}

export interface MockTurn {
  text?: string
  /** Several calls are sent as parallel tool calls. */
  toolCalls?: MockToolCall[]
  /** Default: roughly computed from the request and response sizes (4 characters a token). */
  usage?: MockUsage
  /** Default: `tool_calls` when the turn has tool calls, else `stop`. */
  finishReason?: FinishReason
  /** Wait this long before responding. */
  delayMs?: number
  /** Wait this long between SSE chunks. */
  chunkDelayMs?: number
  fault?: MockFault
}

/** The parts of an OpenAI chat message the mock reads; anything else is kept as sent. */
export interface WireMessage {
  role: string
  content?: unknown
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>
  tool_call_id?: string
  [key: string]: unknown
}

/** A Chat Completions request body as sent by a client. Only `messages` is checked on arrival. */
export interface ChatCompletionRequest {
  model?: string
  messages: WireMessage[]
  stream?: boolean
  stream_options?: { include_usage?: boolean }
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>
  max_tokens?: number
  max_completion_tokens?: number
  temperature?: number
  [key: string]: unknown
}

export interface RecordedRequest {
  method: string
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** The parsed chat request, or undefined when the body was empty or not a chat request. */
  body: ChatCompletionRequest | undefined
  /** The body exactly as received. */
  rawBody: string
}

export type MockScript = MockTurn[] | ((request: RecordedRequest, index: number) => MockTurn)

export interface MockServerOptions {
  script?: MockScript
  /** Default 0: an ephemeral port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** When set, any other bearer token is answered with 401. */
  requireApiKey?: string
  /** When set, requests for any other model are answered with 404 `model_not_found`. */
  models?: string[]
}

export interface MockServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string
  port: number
  /** Every request received, in order, including faulted and rejected ones. */
  requests: RecordedRequest[]
  /** Appends turns to the script (before a script function, when there is one). */
  push(...turns: MockTurn[]): void
  /** Turns left in the queue; Infinity when a script function answers the rest. */
  remaining(): number
  close(): Promise<void>
}
