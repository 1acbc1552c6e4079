/**
 * Token counting for budgeting requests: the model's real tokenizer for OpenAI-family models, a
 * calibrated character estimate for everything else. Counts of messages and tool schemas are
 * cached per object (the engine re-measures the same history before every request, and
 * conversation messages are never mutated in place), so each message is tokenised once.
 */
import type { AssistantContent, Message, ResolvedModel, ToolSpec, UserContent } from '../types.js'
import { encodedLength, encodingForModel, loadEncoder, type TokenEncodingName } from './encoding.js'
import { estimateTokenUnits } from './estimate.js'
import { imageTokens } from './image.js'

/** Framing tokens around each message (role, separators), per OpenAI's published accounting. */
export const MESSAGE_OVERHEAD = 4
/** A tool call's id, type and JSON wrapping; also a tool result's call id. */
export const TOOL_CALL_OVERHEAD = 10
/** Per tool schema: the wrapping the provider renders around name, description and parameters. */
export const TOOL_SCHEMA_OVERHEAD = 10
/** Every reply is primed with a few tokens (`<|start|>assistant<|message|>`). */
export const REQUEST_OVERHEAD = 3

/** Calibration bounds: the estimate may learn to be at most this much lower or higher. */
export const MIN_FACTOR = 0.7
export const MAX_FACTOR = 2
/** Weight of each new observation in the moving average. */
const CALIBRATION_WEIGHT = 0.3
/** One observation may move the target by at most this ratio either way (outliers, cache quirks). */
const MAX_RATIO = 2

export interface TokenCounter {
  /** The tokenizer's encoding, or undefined when the model only gets an estimate. */
  readonly encoding: TokenEncodingName | undefined
  /** True once the real tokenizer is loaded; before `ready()` every count is the estimate. */
  readonly exact: boolean
  /** Multiplier learned from reported usage (estimates only; 1 for exact counts). */
  readonly factor: number
  /** Loads the tokenizer on first call (a no-op for estimated models). Never rejects. */
  ready(): Promise<TokenCounter>
  count(text: string): number
  countMessage(message: Message): number
  countTools(tools: readonly ToolSpec[]): number
  /** A whole request: messages with their framing, tool schemas, and the reply priming. */
  countMessages(messages: readonly Message[], tools?: readonly ToolSpec[]): number
  /**
   * Teaches the estimate from a provider's figure: `estimatedInput` is what `countMessages` said
   * for a request, `reportedInputTokens` what the provider billed for it. The factor moves part of
   * the way toward the observed ratio and stays within [MIN_FACTOR, MAX_FACTOR]. Exact counters
   * ignore it: their tokenizer is the truth.
   */
  calibrate(estimatedInput: number, reportedInputTokens: number): void
}

export interface TokenCounterOptions {
  /** A starting calibration factor, e.g. one remembered from an earlier session. */
  factor?: number
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value))

class Counter implements TokenCounter {
  readonly encoding: TokenEncodingName | undefined
  factor: number
  private encoder: { encode(text: string): number[] } | undefined
  private loading: Promise<TokenCounter> | undefined
  // Unscaled counts by object; replaced when the encoder arrives because estimates become stale.
  private cache = new WeakMap<object, number>()

  constructor(encoding: TokenEncodingName | undefined, factor: number) {
    this.encoding = encoding
    this.factor = clamp(factor, MIN_FACTOR, MAX_FACTOR)
  }

  get exact(): boolean {
    return this.encoder !== undefined
  }

  ready(): Promise<TokenCounter> {
    const encoding = this.encoding
    if (!encoding) return Promise.resolve(this)
    this.loading ??= loadEncoder(encoding).then((encoder) => {
      if (encoder) {
        this.encoder = encoder
        this.factor = 1
        this.cache = new WeakMap()
      }
      return this
    })
    return this.loading
  }

  count(text: string): number {
    return this.scale(this.units(text))
  }

  countMessage(message: Message): number {
    return this.scale(this.messageUnits(message))
  }

  countTools(tools: readonly ToolSpec[]): number {
    let units = 0
    for (const tool of tools) units += this.toolUnits(tool)
    return this.scale(units)
  }

  countMessages(messages: readonly Message[], tools: readonly ToolSpec[] = []): number {
    let units = REQUEST_OVERHEAD
    for (const message of messages) units += this.messageUnits(message)
    for (const tool of tools) units += this.toolUnits(tool)
    return this.scale(units)
  }

  calibrate(estimatedInput: number, reportedInputTokens: number): void {
    if (this.exact || !(estimatedInput > 0) || !(reportedInputTokens > 0)) return
    const ratio = clamp(reportedInputTokens / estimatedInput, 1 / MAX_RATIO, MAX_RATIO)
    const target = this.factor * ratio
    this.factor = clamp(this.factor + CALIBRATION_WEIGHT * (target - this.factor), MIN_FACTOR, MAX_FACTOR)
  }

  private scale(units: number): number {
    return Math.ceil(units * this.factor)
  }

  private units(text: string): number {
    if (!text) return 0
    return this.encoder ? encodedLength(this.encoder, text) : estimateTokenUnits(text)
  }

  private messageUnits(message: Message): number {
    const cached = this.cache.get(message)
    if (cached !== undefined) return cached
    let units = MESSAGE_OVERHEAD
    if (message.role === 'system') units += this.units(message.content)
    else for (const block of message.content) units += this.blockUnits(block)
    if (message.role === 'tool') units += TOOL_CALL_OVERHEAD + this.units(message.name)
    this.cache.set(message, units)
    return units
  }

  private blockUnits(block: AssistantContent | UserContent): number {
    switch (block.type) {
      case 'text':
        return this.units(block.text)
      case 'reasoning':
        // Opaque state travels too; it is base64-like, so the estimate is about right for it.
        return (
          this.units(block.text) +
          estimateTokenUnits(block.signature ?? '') +
          estimateTokenUnits(block.redacted ?? '') +
          estimateTokenUnits(block.encrypted ?? '')
        )
      case 'tool_call':
        return TOOL_CALL_OVERHEAD + this.units(block.name) + this.units(block.arguments)
      case 'image':
        return imageTokens(block)
    }
  }

  private toolUnits(tool: ToolSpec): number {
    const cached = this.cache.get(tool)
    if (cached !== undefined) return cached
    const schema = JSON.stringify({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    })
    const units = TOOL_SCHEMA_OVERHEAD + this.units(schema)
    this.cache.set(tool, units)
    return units
  }
}

/**
 * A counter for `model` (a resolved model or a model name such as `gpt-4o` or `openai/gpt-4o`).
 * Creating one is free; call `ready()` (or use `loadTokenCounter`) before counting so
 * OpenAI-family models get exact counts.
 */
export function createTokenCounter(
  model: ResolvedModel | string,
  options: TokenCounterOptions = {},
): TokenCounter {
  const name = typeof model === 'string' ? model : model.model
  return new Counter(encodingForModel(name), options.factor ?? 1)
}

/** `createTokenCounter` with the tokenizer already loaded. */
export function loadTokenCounter(
  model: ResolvedModel | string,
  options: TokenCounterOptions = {},
): Promise<TokenCounter> {
  return createTokenCounter(model, options).ready()
}
