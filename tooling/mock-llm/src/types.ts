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
  /**
   * Start a 200 stream, then send the wire's mid-stream error event (Anthropic `event: error`,
   * Responses `error` / `response.failed`, Chat an `{error}` data line) and close the stream.
   * `type` is the provider's error type, e.g. `overloaded_error`.
   */
  | { streamError: { type: string; message?: string } }

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter'

/**
 * Scripted token counts. `prompt_tokens` is all input; `cached_tokens` of it were read from the
 * prompt cache and `cache_write_tokens` written to it (each wire reports them its own way).
 */
export interface MockUsage {
  prompt_tokens: number
  completion_tokens: number
  cached_tokens?: number
  cache_write_tokens?: number
}

export interface MockTurn {
  text?: string
  /**
   * The model's readable reasoning. Anthropic: a `thinking` block (when the request enabled
   * thinking), signed by the mock. Responses: a `reasoning` item (its summary when asked for,
   * its encrypted content when `include` asks for it). Chat: ignored.
   */
  reasoning?: string
  /** Anthropic: also a `redacted_thinking` block (when thinking is enabled). */
  redactedReasoning?: boolean
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
  /**
   * Hold the response until this settles (after `delayMs`), e.g. a `createGate()` the test opens
   * once it has seen what it waits for. The client leaving or `close()` ends the hold. In-process
   * only: a JSON script cannot hold a promise.
   */
  holdUntil?: PromiseLike<unknown>
  /**
   * With `holdUntil` on a streamed answer: send this many SSE chunks first (the first carries the
   * role, the next ones the text), then hold the rest — a response that is visibly in progress.
   */
  holdAfterChunks?: number
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

/** Which API a request spoke: Chat Completions, Anthropic Messages or OpenAI Responses. */
export type Wire = 'chat' | 'anthropic' | 'responses'

/** What the mock answered a request's usage with (after cache simulation), for assertions. */
export interface ReportedUsage {
  /** All input tokens. */
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

export interface RecordedRequest {
  /** Undefined for routes that are not model calls (`/models`, unknown paths). */
  wire?: Wire
  /** The body parsed as JSON (any wire), or undefined when it is not JSON. */
  json?: unknown
  /** The usage the mock reported for this request, when it answered with a turn. */
  usage?: ReportedUsage
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
  /**
   * Simulate the providers' prompt caches (default true): Anthropic caches the prefix up to each
   * `cache_control` breakpoint, OpenAI (Responses; Chat only when this is set explicitly) caches
   * request prefixes of 1,024 tokens or more automatically. Scripted `usage` always wins.
   */
  promptCache?: boolean
  /**
   * How `delayMs` and `chunkDelayMs` are waited out (default: timers). A test that drives time
   * itself passes its own, e.g. one that records the waits and returns at once. The signal aborts
   * when the client leaves or the server closes.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface MockServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:PORT/v1` (what OpenAI SDKs take). */
  url: string
  /** The host root, e.g. `http://127.0.0.1:PORT` (what the Anthropic SDK takes). */
  root: string
  port: number
  /** Every request received, in order, including faulted and rejected ones. */
  requests: RecordedRequest[]
  /** Appends turns to the script (before a script function, when there is one). */
  push(...turns: MockTurn[]): void
  /** Turns left in the queue; Infinity when a script function answers the rest. */
  remaining(): number
  /**
   * Resolves with `requests` once at least `count` requests have arrived — the event to wait for
   * instead of sleeping. Rejects if the server closes first.
   */
  waitForRequests(count: number): Promise<RecordedRequest[]>
  close(): Promise<void>
}

/** A promise a test opens by hand: `holdUntil: gate.promise`, then `gate.open()`. */
export interface Gate {
  readonly promise: Promise<void>
  open(): void
}
