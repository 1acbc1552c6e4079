/**
 * Compaction, start to end: measure the request, elide old tool outputs, summarise older turns
 * while the recent ones stay verbatim, and fall back to elision and dropping when the summary
 * cannot be had. Returns the new conversation; the engine decides what to do with it.
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
import { fitToWindow } from '../context.js'
import type { CompactionReason, ContextCompaction } from '../events.js'
import type { ModelStreamFn } from '../model-turn.js'
import { emptyUsage } from '../usage.js'
import { enforceLimit } from './last-resort.js'
import { planSplit } from './plan.js'
import { fallbackSummary, summaryMessage } from './prompt.js'
import { type CompactionSettings, summaryMaxTokens } from './settings.js'
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
}

export interface CompactionResult {
  messages: Message[]
  /** The request's size with `messages`. */
  tokens: number
  /** Set when older turns were summarised or dropped: the `context.compacted` payload. */
  compaction?: ContextCompaction
  /** What the summary calls spent (zero when none were made). */
  usage: Usage
  /** Set when a summary call failed (the result then comes from the fallbacks, if any). */
  error?: LlmError
}

/**
 * Share of the room left after the system prompt, tool schemas and the summary that the verbatim
 * turns may take. The rest is headroom, so the next compaction is many turns away.
 */
const KEEP_SHARE = 0.5

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

function prune(messages: Message[], ctx: CompactionContext, limit: number, keepToolResults: number) {
  const budget = limit - ctx.counter.countMessage(ctx.system)
  const fitted = fitToWindow(messages, ctx.tools, budget, keepToolResults, ctx.counter)
  return fitted.messages
}

function split(messages: Message[], ctx: CompactionContext, limit: number): number | undefined {
  const room = limit - measureRequest(ctx, []) - summaryMaxTokens(ctx.model.info, limit)
  return planSplit(messages, {
    keepRecentTurns: ctx.settings.keepRecentTurns,
    keptBudget: Math.max(0, Math.floor(room * KEEP_SHARE)),
    measure: (message) => ctx.counter.countMessage(message),
  })
}

function replaceOlder(
  messages: Message[],
  index: number,
  summary: string,
  ctx: CompactionContext,
  limit: number,
): Message[] {
  return enforceLimit([summaryMessage(summary), ...messages.slice(index)], limit, {
    request: (candidate) => measureRequest(ctx, candidate),
    message: (message) => ctx.counter.countMessage(message),
  })
}

function summariseOptions(ctx: CompactionContext, limit: number) {
  return { ...ctx, maxOutputTokens: summaryMaxTokens(ctx.model.info, limit), limit }
}

function done(
  messages: Message[],
  ctx: CompactionContext,
  usage: Usage,
  compaction?: Omit<ContextCompaction, 'tokensAfter' | 'keptMessages'>,
  error?: LlmError,
): CompactionResult {
  const tokens = measureRequest(ctx, messages)
  return {
    messages,
    tokens,
    usage,
    ...(compaction
      ? { compaction: { ...compaction, tokensAfter: tokens, keptMessages: messages.length - 1 } }
      : {}),
    ...(error ? { error } : {}),
  }
}

/**
 * Makes the next request fit `limit` (called before every model request, and with a lower limit
 * after a context-too-long reply). Never fails: when the summary cannot be had it elides every
 * tool output but the newest, then drops the older turns behind a mechanical summary.
 */
export async function fitConversation(
  history: Message[],
  ctx: CompactionContext,
  request: { reason: Exclude<CompactionReason, 'manual'>; limit: number; keepToolResults: number },
): Promise<CompactionResult> {
  const { reason, limit } = request
  const tokensBefore = await measureNearLimit(ctx, history, limit)
  if (tokensBefore <= limit) return { messages: history, tokens: tokensBefore, usage: emptyUsage() }
  const pruned = prune(history, ctx, limit, request.keepToolResults)
  if (measureRequest(ctx, pruned) <= limit || !ctx.settings.enabled) return done(pruned, ctx, emptyUsage())

  const index = split(pruned, ctx, limit)
  if (index === undefined) return done(replaceNothing(pruned, ctx, limit), ctx, emptyUsage())
  if (ctx.summariserFailed) return fallBack(pruned, index, ctx, { reason, limit, tokensBefore }, emptyUsage())
  const outcome = await summarise(pruned.slice(0, index), summariseOptions(ctx, limit))
  if (outcome.ok) {
    const messages = replaceOlder(pruned, index, outcome.summary, ctx, limit)
    return done(messages, ctx, outcome.usage, { reason, tokensBefore, summary: outcome.summary })
  }
  if (outcome.error.kind === 'aborted' || ctx.signal.aborted) {
    return done(pruned, ctx, outcome.usage, undefined, outcome.error)
  }
  ctx.summariserFailed = true
  return fallBack(pruned, index, ctx, { reason, limit, tokensBefore }, outcome.usage, outcome.error)
}

/** Without a summary: elide every output but the newest, and if that is not enough, drop older turns. */
function fallBack(
  messages: Message[],
  index: number,
  ctx: CompactionContext,
  request: { reason: CompactionReason; limit: number; tokensBefore: number },
  usage: Usage,
  error?: LlmError,
): CompactionResult {
  const { reason, limit, tokensBefore } = request
  const bare = prune(messages, ctx, limit, 1)
  if (measureRequest(ctx, bare) <= limit) return done(bare, ctx, usage, undefined, error)
  const summary = fallbackSummary(bare.slice(0, index))
  const dropped = replaceOlder(bare, index, summary, ctx, limit)
  return done(dropped, ctx, usage, { reason, tokensBefore, summary }, error)
}

/** Nothing older to summarise (the whole conversation is recent): cut what is too long. */
function replaceNothing(messages: Message[], ctx: CompactionContext, limit: number): Message[] {
  return enforceLimit(messages, limit, {
    request: (candidate) => measureRequest(ctx, candidate),
    message: (message) => ctx.counter.countMessage(message),
  })
}

/**
 * `/compact`: summarise everything but the recent turns now, whatever the size. Undefined result
 * when there is nothing older to summarise; a failed summary leaves the conversation as it was and
 * comes back as `error`.
 */
export async function compactNow(
  history: Message[],
  ctx: CompactionContext,
  limit: number,
): Promise<CompactionResult | undefined> {
  await ctx.counter.ready()
  const index = split(history, ctx, limit)
  if (index === undefined) return undefined
  const tokensBefore = measureRequest(ctx, history)
  const outcome = await summarise(history.slice(0, index), summariseOptions(ctx, limit))
  if (!outcome.ok)
    return { messages: history, tokens: tokensBefore, usage: outcome.usage, error: outcome.error }
  const messages = replaceOlder(history, index, outcome.summary, ctx, limit)
  return done(messages, ctx, outcome.usage, { reason: 'manual', tokensBefore, summary: outcome.summary })
}
