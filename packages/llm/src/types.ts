/**
 * The provider-neutral LLM contract. Every adapter speaks this; the engine knows nothing else.
 */
import type { ImageMediaType, Reasoning, TokenUsage } from '@penguin-ai/protocol'
import type { LlmError } from './errors.js'

/** Plain text. */
export interface TextBlock {
  type: 'text'
  text: string
}

export type { ImageMediaType } from '@penguin-ai/protocol'

/** An image, inline: `data` is the file's bytes in base64. */
export interface ImageBlock {
  type: 'image'
  mediaType: ImageMediaType
  data: string
}

/**
 * What a model thought before answering: `Reasoning` of `@penguin-ai/protocol`, where the store and
 * the API take it from too — the provider's opaque state (signature, encrypted content, …) must
 * reach the store and come back unchanged.
 */
export type ReasoningBlock = Reasoning

/** A tool call as the model produced it. `arguments` is the raw JSON text, possibly malformed. */
export interface ToolCall {
  id: string
  name: string
  arguments: string
}

/** A tool call as a content block of an assistant message. */
export interface ToolCallBlock extends ToolCall {
  type: 'tool_call'
}

/** A tool call's result as a content block (the shape stored parts and the SDK use). */
export interface ToolResultBlock {
  type: 'tool_result'
  toolCallId: string
  /** Name of the tool that produced this result. */
  name: string
  content: ToolResultContent[]
  isError: boolean
}

export type UserContent = TextBlock | ImageBlock
export type AssistantContent = TextBlock | ReasoningBlock | ToolCallBlock
export type ToolResultContent = TextBlock | ImageBlock
/** Every kind of content block. */
export type ContentBlock = TextBlock | ImageBlock | ReasoningBlock | ToolCallBlock | ToolResultBlock

/** The system prompt is plain text; it is rebuilt for every run and never stored. */
export interface SystemMessage {
  role: 'system'
  content: string
}

export interface UserMessage {
  role: 'user'
  content: UserContent[]
}

/** Blocks in the order the model produced them: reasoning, text and tool calls may interleave. */
export interface AssistantMessage {
  role: 'assistant'
  content: AssistantContent[]
}

/** One tool call's result. Results follow the assistant message that called them, in call order. */
export interface ToolResultMessage {
  role: 'tool'
  toolCallId: string
  /** Name of the tool that produced this result (some providers require it). */
  name: string
  content: ToolResultContent[]
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

/**
 * Tokens of one call. `inputTokens` is all of the request: fresh input plus what was read from and
 * written to the provider's prompt cache, so `inputTokens - cacheReadTokens - cacheWriteTokens` is
 * the fresh part. It is `TokenUsage` of `@penguin-ai/protocol` (its fields documented there), the
 * usage the engine's events and the API report.
 */
export type Usage = TokenUsage

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
  /** Readable reasoning as it streams (Anthropic thinking, OpenAI reasoning summaries). */
  | { type: 'reasoning_delta'; delta: string }
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

/** How hard a model that can reason should think; `off` asks for no reasoning at all. */
export type ReasoningEffort = 'off' | 'minimal' | 'low' | 'medium' | 'high'

export interface ChatRequest {
  messages: Message[]
  tools?: ToolSpec[]
  temperature?: number
  maxOutputTokens?: number
  /**
   * Reasoning effort for models that reason (Anthropic thinking budgets, OpenAI `reasoning.effort`).
   * Undefined: the provider's default. Models that cannot reason ignore it.
   */
  reasoning?: ReasoningEffort
  /**
   * A stable id for the conversation (the session id): providers that route prompt caches by key
   * (OpenAI's `prompt_cache_key`) keep its turns on the same cache.
   */
  cacheKey?: string
  signal?: AbortSignal
}

/** Static facts about a model, from the catalogue or conservative defaults. */
export interface ModelInfo {
  contextWindow: number
  maxOutputTokens: number
  /** USD per million tokens. */
  inputPrice: number
  outputPrice: number
  /** Price of input read from the prompt cache; defaults to `inputPrice`. */
  cachedInputPrice?: number
  /** Price of input written to the prompt cache; defaults to `inputPrice` (Anthropic: 1.25× input). */
  cacheWritePrice?: number
  /** Takes image input. */
  images?: boolean
  /** Can reason before answering (thinking / reasoning effort). */
  reasoning?: boolean
  /** Anthropic models that think by effort (`thinking: {type: 'adaptive'}`) rather than by a budget. */
  adaptiveThinking?: boolean
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
  /**
   * Loads what the first request needs (the SDK, Node's HTTP client) ahead of it, so a caller can
   * overlap that with other start-up work. Optional; must never reject.
   */
  preload?(): Promise<void>
}
