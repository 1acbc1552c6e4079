/** Retry arithmetic (pure) and an abortable sleep. */
import type { LlmError } from './errors.js'
import type { RetryPolicy } from './types.js'

/** Five attempts, 0.5 s doubling to 8 s, and at most 25 s of waiting so a turn gives up within ~30 s. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxTotalDelayMs: 25_000,
})

export const DEFAULT_TIMEOUT_MS = 120_000

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(random() * ceiling)
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false }

/**
 * Whether to send again after `attempt` failed with `error`, and after how long. A server's
 * Retry-After is obeyed exactly; if it is longer than the budget left, waiting is pointless and the
 * error stands. Backoff delays are trimmed to the budget.
 */
export function decideRetry(
  error: LlmError,
  attempt: number,
  policy: RetryPolicy,
  delayedSoFarMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!error.retryable || attempt >= policy.maxAttempts) return { retry: false }
  const budget = policy.maxTotalDelayMs - delayedSoFarMs
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= budget ? { retry: true, delayMs: error.retryAfterMs } : { retry: false }
  }
  if (budget <= 0) return { retry: false }
  return { retry: true, delayMs: Math.min(budget, backoffDelay(attempt, policy, random)) }
}

/** Resolves after `ms`, or early with `false` when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
