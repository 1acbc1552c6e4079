/**
 * One model request of a run: the conversation compacted to fit, the request sent, its stream
 * consumed. Kept apart from the loop, which only decides what happens between requests.
 */
import { AbortedError, type Message } from '@penguin-ai/llm'
import type { UsageMeter } from './budget.js'
import { type CompactionContext, type CompactionResult, fitConversation } from './compaction/compact.js'
import type { EngineOptions } from './engine-options.js'
import type { ExtensionChain, ExtensionScope } from './extension-chain.js'
import type { ChatParams } from './extensions.js'
import { consumeTurn, type TurnOutcome } from './model-turn.js'
import type { Emit } from './tool-runner.js'

const MAX_CONTEXT_SHRINKS = 3

/** What a request needs of the engine sending it. */
export interface RequestHost {
  readonly options: EngineOptions
  readonly extensions: ExtensionChain
  /** The conversation as it is now (compaction replaces it). */
  conversation(): Message[]
  /** Past `limit` the conversation is compacted; no request may measure more than `ceiling`. */
  bounds(): { limit: number; ceiling: number }
  /** Takes a compaction's conversation, and reports what it cost and did. */
  apply(result: CompactionResult, emit: Emit, meter: UsageMeter): void
  overBudget(meter: UsageMeter): boolean
}

/**
 * One model request, compacted to fit first. Our count can still undershoot the provider's: when
 * it says the request is too long, the ceiling drops to 30% below what was sent, the conversation
 * is compacted again (reason `overflow`) and resent, as long as that makes the request smaller.
 */
export async function requestTurn(
  host: RequestHost,
  ctx: CompactionContext,
  emit: Emit,
  meter: UsageMeter,
  scope: ExtensionScope,
): Promise<TurnOutcome | 'budget_exceeded'> {
  let { limit, ceiling } = host.bounds()
  let rejected: TurnOutcome | undefined
  let sent = 0
  for (let shrinks = 0; ; shrinks++) {
    const fitted = await fitConversation(host.conversation(), ctx, {
      reason: rejected ? 'overflow' : 'threshold',
      limit,
      ceiling,
    })
    host.apply(fitted, emit, meter)
    if (ctx.signal.aborted) return { ok: false, error: new AbortedError(), partialText: '' }
    if (fitted.usage.totalTokens > 0 && host.overBudget(meter)) return 'budget_exceeded'
    if (rejected) {
      // Nothing left to shrink: resending the same request would only fail the same way.
      if (fitted.tokens >= sent) return rejected
      emit({
        type: 'turn.retry',
        attempt: shrinks,
        delayMs: 0,
        reason: 'context too long: conversation compacted',
      })
    }
    sent = fitted.tokens
    const params = await chatParams(host, scope)
    await host.options.beforeRequest?.()
    if (ctx.signal.aborted) return { ok: false, error: new AbortedError(), partialText: '' }
    const events = ctx.stream(
      host.options.model,
      {
        messages: [ctx.system, ...host.conversation()],
        tools: ctx.tools,
        signal: ctx.signal,
        ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
        ...(params.maxOutputTokens === undefined ? {} : { maxOutputTokens: params.maxOutputTokens }),
        ...(params.reasoning ? { reasoning: params.reasoning } : {}),
        ...(host.options.cacheKey ? { cacheKey: host.options.cacheKey } : {}),
      },
      host.options.callOptions,
    )
    const outcome = await consumeTurn(events, {
      onTextDelta: (delta) => emit({ type: 'text.delta', delta }),
      onReasoningDelta: (delta) => emit({ type: 'reasoning.delta', delta }),
      onRetry: (attempt, delayMs, reason) => emit({ type: 'turn.retry', attempt, delayMs, reason }),
    })
    if (outcome.ok) ctx.counter.calibrate(sent, outcome.usage.inputTokens)
    if (outcome.ok || outcome.error.kind !== 'context_too_long' || outcome.partialText) return outcome
    if (shrinks >= MAX_CONTEXT_SHRINKS) return outcome
    rejected = outcome
    ceiling = Math.floor(Math.min(ceiling, sent) * 0.7)
    limit = Math.min(limit, ceiling)
  }
}

/** The model options of the next request, as configured and then as extensions change them. */
async function chatParams(host: RequestHost, scope: ExtensionScope): Promise<ChatParams> {
  const { temperature, reasoning } = host.options
  const params: ChatParams = {
    ...(temperature === undefined ? {} : { temperature }),
    ...(reasoning ? { reasoning } : {}),
  }
  return host.extensions.size ? host.extensions.chatParams(scope, params) : params
}
