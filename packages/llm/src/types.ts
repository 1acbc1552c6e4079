/**
 * The provider-neutral LLM contract. Every adapter speaks this; the engine knows nothing else.
 */
import type { LlmError } from './errors.js'

export interface SystemMessage {
  role: 'system'
  content: string
}

export interface UserMessage {
  role: 'user'
  content: string
}

/** A tool call as the model produced it. `arguments` is the raw JSON text, possibly malformed. */
export interface ToolCall {
  id: string
  name: string
  arguments: string
}

export interface AssistantMessage {
  role: 'assistant'
  content: string
  toolCalls: ToolCall[]
}

export interface ToolResultMessage {
  role: 'tool'
  toolCallId: string
  /** Name of the tool that produced this result (some providers require it). */
  name: string
  content: string
  isError?: boolean
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage

/** A JSON Schema object, as sent to the provider. */
export type JsonSchema = Record<string, unknown>

export interface ToolSpec {
  name: string
  description: string
  parameters: JsonSchema
}

export interface Usage {
  inputTokens: number
  outputTokens: number
  /** Input tokens served from the provider's prompt cache (a subset of inputTokens). */
  cachedInputTokens: number
  totalTokens: number
}

export type StopReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error' | 'aborted'

export type LlmErrorKind =
  | 'auth'
  | 'model_not_found'
  | 'rate_limited'
  | 'context_too_long'
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'bad_request'
  | 'server'

/** Everything a model stream can tell its consumer, in order. */
export type StreamEvent =
  | { type: 'text_delta'; delta: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; delta: string }
  | { type: 'tool_call_end'; index: number; toolCall: ToolCall }
  | { type: 'usage'; usage: Usage }
  /**
   * The request failed after output began and is being sent again: consumers must discard the
   * partial message they have assembled so far.
   */
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'done'; stopReason: StopReason; message: AssistantMessage; usage: Usage }
  | { type: 'error'; error: LlmError }

export interface ChatRequest {
  messages: Message[]
  tools?: ToolSpec[]
  temperature?: number
  maxOutputTokens?: number
  signal?: AbortSignal
}

/** Static facts about a model, from the catalogue or conservative defaults. */
export interface ModelInfo {
  contextWindow: number
  maxOutputTokens: number
  /** USD per million tokens. */
  inputPrice: number
  outputPrice: number
  cachedInputPrice?: number
  /** True when the values are guesses for a model the catalogue does not know. */
  unknown?: boolean
}

/** A `provider/model` string resolved to everything needed to call it. */
export interface ResolvedModel {
  /** The string the user wrote, e.g. `openai/gpt-4o`. */
  id: string
  provider: string
  /** The model name sent on the wire, e.g. `gpt-4o`. */
  model: string
  /** Which adapter speaks to it, e.g. `openai-chat`. */
  api: string
  baseUrl: string
  /** Name of the env var the key comes from (for error messages). Undefined when no key is needed. */
  apiKeyEnv?: string
  apiKey?: string
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
  info: ModelInfo
}

export interface CallOptions {
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number
  retry?: RetryPolicy
}

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Upper bound on the total time spent waiting between attempts. */
  maxTotalDelayMs: number
}

/**
 * A wire adapter turns one request into one attempt's stream of events. It does not retry; it
 * reports failures by throwing an `LlmError` (or yielding an `error` event).
 */
export interface Adapter {
  readonly api: string
  stream(
    model: ResolvedModel,
    request: ChatRequest,
    options: { timeoutMs: number },
  ): AsyncIterable<StreamEvent>
}
