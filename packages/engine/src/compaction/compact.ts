/**
 * Compaction, start to end: measure the request; over the limit, prune old tool outputs, then
 * summarise older turns while the recent ones stay verbatim, and fall back to dropping them when the
 * summary cannot be had. The newest turn (results the model has not read yet) is never pruned or
 * summarised, only truncated when it alone does not fit. Returns the new conversation; the engine
 * decides what to do with it.
 */
import type {
  CallOptions,
  LlmError,
  Message,
  ResolvedModel,
  SystemMessage,
  TokenCounter,
  ToolSpec,
  Usage,
} from '@penguin-ai/llm'
import type { CompactionReason, ContextCompaction } from '../events.js'
import type { ModelStreamFn } from '../model-turn.js'
import { emptyUsage } from '../usage.js'
import { fitCeiling } from './last-resort.js'
import { newestTurnStart, planSplit } from './plan.js'
import { fallbackSummary, isSummaryMessage, summaryMessage } from './prompt.js'
import { pruneOutputs, type RequestMeasure } from './prune.js'
import { type CompactionSettings, compactionTarget, summaryMaxTokens } from './settings.js'
import { summarise } from './summarise.js'

export interface CompactionContext {
  model: ResolvedModel
  counter: TokenCounter
  stream: ModelStreamFn
  callOptions: CallOptions | undefined
  signal: AbortSignal
  system: SystemMessage
  tools: ToolSpec[]
  settings: CompactionSettings
  /**
   * Set after a summary call failed: later compactions in the same run go straight to the
   * fallbacks instead of paying for (and waiting on the retries of) a call that keeps failing.
   */
  summariserFailed?: boolean
  /** Awaited just before older turns are summarised (extensions' PreCompact). */
  beforeSummary?: (trigger: 'manual' | 'auto') => Promise<void>
}

export interface CompactionResult {
  messages: Message[]
  /** The request's size with `messages`. */
  tokens: number
  /**
   * Set when the request was cut down: older turns summarised or dropped, older outputs pruned or
   * the newest results truncated. The `context.compacted` payload (`summary` only when older turns
   * were replaced). Unset when the conversation is unchanged.
   */
  compaction?: ContextCompaction
  /** What the summary calls spent (zero when none were made). */
  usage: Usage
  /** Set when a summary call failed (the result then comes from the fallbacks, if any). */
  error?: LlmError
}

/** Below this many tokens of older turns a summary is not worth a call (it could be longer). */
const MIN_SUMMARISED_TOKENS = 200
/**
 * Over the limit after pruning, older turns that take less than this share of the room (the limit
 * minus the system prompt and tool schemas) are left alone: it is the newest turn that is big, and a
 * summary of so little would be paid for again a turn or two later. More than that, and the summary
 * leaves room for several turns before the next one.
 */
const OLDER_SHARE = 0.25

/**
 * Share of the limit below which the estimate alone decides that a request fits. Loading a real
 * tokenizer costs about half a second and 150 MB (o200k), which most runs never need. The estimate
 * (3.5 characters a token) over-counts English and code by about 20% in o200k tokens; content that
 * tokenizes badly comes to at most about 2.4 times the estimate (base64 2.4, UUIDs 2.3, hex 2.0,
 * digits 1.8, lockfiles 1.6), so a request the estimate puts below 40% of the limit fits the limit
 * even if it were nothing but base64. Past that, the counter is made exact before anything is
 * decided; a provider that still says "too long" gets the overflow retry.
 */
export const EXACT_COUNT_FROM = 0.4

export function measureRequest(ctx: CompactionContext, messages: readonly Message[]): number {
  return ctx.counter.countMessages([ctx.system, ...messages], ctx.tools)
}

/**
 * The request's size, from the real tokenizer whenever it could matter: when the estimate is past
 * `EXACT_COUNT_FROM` of `limit`, the counter's tokenizer is loaded (once; a no-op for models
 * without one) and the request measured again.
 */
async function measureNearLimit(
  ctx: CompactionContext,
  messages: readonly Message[],
  limit: number,
): Promise<number> {
  const estimate = measureRequest(ctx, messages)
  if (ctx.counter.exact || estimate <= limit * EXACT_COUNT_FROM) return estimate
  await ctx.counter.ready()
  return measureRequest(ctx, messages)
}

export interface FitRequest {
  reason: Exclude<CompactionReason, 'manual'>
  /** Past this the conversation is compacted: `requestLimit`, the threshold's share of the ceiling. */
  limit: number
  /** No request may measure more: `requestCeiling`, the window minus the room for the answer. */
  ceiling: number
}

/** What a compaction did, before its result is measured. */
type Facts = Omit<ContextCompaction, 'tokensAfter' | 'keptMessages'>

function measurer(ctx: CompactionContext): RequestMeasure {
  return {
    request: (messages) => measureRequest(ctx, messages),
    message: (message) => ctx.counter.countMessage(message),
  }
}

/**
 * Where the summarised part ends. The verbatim part (the newest turn always, up to
 * `keepRecentTurns` turns when they fit) may take what the target leaves after the system prompt,
 * tool schemas and the summary, so the compacted request lands near the target, not the limit.
 */
function split(messages: Message[], ctx: CompactionContext, limit: number): number | undefined {
  const room = compactionTarget(limit) - measureRequest(ctx, []) - summaryMaxTokens(ctx.model.info, limit)
  return planSplit(messages, {
    keepRecentTurns: ctx.settings.keepRecentTurns,
    keptBudget: Math.max(0, room),
    measure: (message) => ctx.counter.countMessage(message),
  })
}

/**
 * Whether the pruned conversation still needs older turns summarised: it is over the limit and
 * either over the ceiling too, or the older turns since the last summary take more than
 * `OLDER_SHARE` of the room.
 */
function needsSummary(
  messages: Message[],
  newest: number,
  ctx: CompactionContext,
  request: FitRequest,
): boolean {
  if (!ctx.settings.enabled) return false
  const tokens = measureRequest(ctx, messages)
  if (tokens <= request.limit) return false
  // An earlier summary is not counted: summarising it again would not make it much shorter.
  const older = messages
    .slice(0, newest)
    .filter((message) => !isSummaryMessage(message))
    .reduce((sum, message) => sum + ctx.counter.countMessage(message), 0)
  if (older < MIN_SUMMARISED_TOKENS) return false
  if (tokens > request.ceiling) return true
  return older > (request.limit - measureRequest(ctx, [])) * OLDER_SHARE
}

function summariseOptions(ctx: CompactionContext, limit: number) {
  return { ...ctx, maxOutputTokens: summaryMaxTokens(ctx.model.info, limit), limit }
}

function done(
  messages: Message[],
  ctx: CompactionContext,
  usage: Usage,
  compaction?: Facts,
  error?: LlmError,
): CompactionResult {
  const tokens = measureRequest(ctx, messages)
  // Without a summary every message is still there (some pruned or truncated in place).
  const keptMessages = compaction?.summary === undefined ? messages.length : messages.length - 1
  return {
    messages,
    tokens,
    usage,
    ...(compaction ? { compaction: { ...compaction, tokensAfter: tokens, keptMessages } } : {}),
    ...(error ? { error } : {}),
  }
}

/** The older part replaced by `summary` (a real one, or the mechanical fallback), fitted to the ceiling. */
function replaceOlder(
  messages: Message[],
  index: number,
  summary: string,
  ctx: CompactionContext,
  ceiling: number,
  facts: Omit<Facts, 'summary' | 'truncatedOutputs'>,
  usage: Usage,
  error?: LlmError,
): CompactionResult {
  const fitted = fitCeiling([summaryMessage(summary), ...messages.slice(index)], ceiling, measurer(ctx), true)
  return done(fitted.messages, ctx, usage, { ...facts, summary, truncatedOutputs: fitted.truncated }, error)
}

/**
 * No summary (not needed, not possible or turned off): only what is over the ceiling is cut. Reported
 * (without `summary`) only when something was pruned or cut, so a request that was over the limit but
 * had nothing left to prune emits nothing.
 */
function withoutSummary(
  messages: Message[],
  ctx: CompactionContext,
  ceiling: number,
  facts: Pick<Facts, 'reason' | 'tokensBefore' | 'prunedOutputs'>,
  usage: Usage,
  error?: LlmError,
) {
  const fitted = fitCeiling(messages, ceiling, measurer(ctx), false)
  // fitCeiling keeps every message it leaves alone (same object), so any other one was cut.
  const cut = facts.prunedOutputs > 0 || fitted.messages.some((message, i) => message !== messages[i])
  const compaction = cut ? { ...facts, truncatedOutputs: fitted.truncated, summarisedMessages: 0 } : undefined
  return done(fitted.messages, ctx, usage, compaction, error)
}

/**
 * Makes the next request fit (called before every model request, and with lower bounds after a
 * context-too-long reply). Over the limit: prune older tool outputs toward the target (half the
 * limit); if older turns still take too much, summarise them; only what is over the ceiling after
 * that is cut, the newest results last. Never fails: when the summary cannot be had, the older turns
 * are dropped behind a mechanical summary.
 */
export async function fitConversation(
  history: Message[],
  ctx: CompactionContext,
  request: FitRequest,
): Promise<CompactionResult> {
  const { reason, limit, ceiling } = request
  const tokensBefore = await measureNearLimit(ctx, history, limit)
  if (tokensBefore <= limit) return { messages: history, tokens: tokensBefore, usage: emptyUsage() }
  const newest = newestTurnStart(history)
  const pruned = pruneOutputs(history, newest, compactionTarget(limit), measurer(ctx))
  const messages = pruned.messages
  const cut = { reason, tokensBefore, prunedOutputs: pruned.pruned }
  if (!needsSummary(messages, newest, ctx, request))
    return withoutSummary(messages, ctx, ceiling, cut, emptyUsage())
  const index = split(messages, ctx, limit)
  if (index === undefined) return withoutSummary(messages, ctx, ceiling, cut, emptyUsage())

  const facts = { ...cut, summarisedMessages: index }
  const older = messages.slice(0, index)
  await ctx.beforeSummary?.('auto')
  if (ctx.summariserFailed) {
    return replaceOlder(messages, index, fallbackSummary(older), ctx, ceiling, facts, emptyUsage())
  }
  const outcome = await summarise(older, summariseOptions(ctx, limit))
  if (outcome.ok) return replaceOlder(messages, index, outcome.summary, ctx, ceiling, facts, outcome.usage)
  if (outcome.error.kind === 'aborted' || ctx.signal.aborted) {
    return withoutSummary(messages, ctx, ceiling, cut, outcome.usage, outcome.error)
  }
  // Later compactions in this run go straight to the fallback.
  ctx.summariserFailed = true
  const fallback = fallbackSummary(older)
  return replaceOlder(messages, index, fallback, ctx, ceiling, facts, outcome.usage, outcome.error)
}

/**
 * `/compact`: summarise everything but the recent turns now, whatever the size. Undefined result
 * when there is nothing older to summarise; a failed summary leaves the conversation as it was and
 * comes back as `error`.
 */
export async function compactNow(
  history: Message[],
  ctx: CompactionContext,
  bounds: { limit: number; ceiling: number },
): Promise<CompactionResult | undefined> {
  await ctx.counter.ready()
  const index = split(history, ctx, bounds.limit)
  if (index === undefined) return undefined
  const tokensBefore = measureRequest(ctx, history)
  await ctx.beforeSummary?.('manual')
  const outcome = await summarise(history.slice(0, index), summariseOptions(ctx, bounds.limit))
  if (!outcome.ok)
    return { messages: history, tokens: tokensBefore, usage: outcome.usage, error: outcome.error }
  const facts = { reason: 'manual' as const, tokensBefore, prunedOutputs: 0, summarisedMessages: index }
  return replaceOlder(history, index, outcome.summary, ctx, bounds.ceiling, facts, outcome.usage)
}
