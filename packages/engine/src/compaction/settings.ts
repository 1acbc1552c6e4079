/** Compaction options, their defaults, and the token ceilings derived from a model's limits. */
import type { ModelInfo } from '@penguin-ai/llm'

export interface CompactionOptions {
  /**
   * Fraction of the usable window (context window minus the room reserved for the answer) a
   * request may fill before the conversation is compacted. Default 0.8.
   */
  threshold?: number
  /**
   * Model turns kept verbatim when older ones are summarised. A turn is one assistant message with
   * the results of its tool calls (and the user message that prompted it, if that is the one just
   * before). Fewer are kept when they would not fit in about half of the limit, but never fewer than
   * the newest turn, whose results the model has not read yet. Default 3.
   */
  keepRecentTurns?: number
  /** `false`: no summaries; old tool outputs are still elided to fit the window. Default true. */
  enabled?: boolean
}

export interface CompactionSettings {
  threshold: number
  keepRecentTurns: number
  enabled: boolean
}

export const DEFAULT_COMPACTION_THRESHOLD = 0.8
export const DEFAULT_KEEP_RECENT_TURNS = 3

/** Fills in defaults; nonsense (a threshold outside (0, 1], a negative turn count) is a RangeError. */
export function compactionSettings(options: CompactionOptions = {}): CompactionSettings {
  const threshold = options.threshold ?? DEFAULT_COMPACTION_THRESHOLD
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`compaction.threshold must be in (0, 1], e.g. 0.8 (got ${threshold})`)
  }
  const keepRecentTurns = options.keepRecentTurns ?? DEFAULT_KEEP_RECENT_TURNS
  if (!Number.isInteger(keepRecentTurns) || keepRecentTurns < 0) {
    throw new RangeError(`compaction.keepRecentTurns must be a whole number ≥ 0 (got ${keepRecentTurns})`)
  }
  return { threshold, keepRecentTurns, enabled: options.enabled ?? true }
}

/** Tokens left for the answer: the model's output limit, but never more than a quarter of the window. */
export function reservedOutput(info: ModelInfo): number {
  return Math.min(info.maxOutputTokens, Math.floor(info.contextWindow / 4))
}

/** The most a request (system prompt, history, tool schemas) may measure before it is compacted. */
export function requestLimit(info: ModelInfo, threshold: number): number {
  return Math.max(1, Math.floor(requestCeiling(info) * threshold))
}

/**
 * The most any request may measure: the window minus the room reserved for the answer. Only the
 * newest turn (results the model has not read yet) may take a request past the limit, never past this.
 */
export function requestCeiling(info: ModelInfo): number {
  return Math.max(1, info.contextWindow - reservedOutput(info))
}

/**
 * Share of the limit a compacted conversation aims for. Compacting to just under the limit would
 * mean compacting again on the next turn; at half of it the next compaction is several turns away
 * (and the pruned prefix stays the same meanwhile, so the provider's prompt cache keeps hitting).
 */
export const HEADROOM = 0.5

/** What compaction brings a request down to when it can. */
export function compactionTarget(limit: number): number {
  return Math.max(1, Math.floor(limit * HEADROOM))
}

/**
 * How long a summary may be: a quarter of the request limit, at least 256 tokens, at most 4096,
 * and never more than the room reserved for answers (so the summary call fits like any other).
 */
export function summaryMaxTokens(info: ModelInfo, limit: number): number {
  const reserve = reservedOutput(info)
  return Math.max(1, Math.min(reserve, 4096, Math.max(256, Math.floor(limit / 4))))
}
