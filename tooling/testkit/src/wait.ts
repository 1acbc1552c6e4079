/**
 * Bounded waits. Tests wait for events, never for time; these helpers only turn a wait that would
 * hang into a clear failure, so their bounds are generous (a busy 2-core machine is slow, and the
 * test's own timeout usually comes first).
 */

export const DEFAULT_BOUND_MS = 60_000

export interface UntilOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number
  /** What is awaited, for the error message (default: the check's source). */
  what?: string
  /** How often to look again (default 10 ms). */
  intervalMs?: number
}

/**
 * Resolves once `check` holds, looking again every few milliseconds — ONLY for state that has no
 * event to wait on (a row's status, a metric). Anything that can be awaited (a line written, a
 * request arrived, a stream ended) should be: see `within`, `fifo`, mock-llm's `waitForRequests`.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  options: UntilOptions | number = {},
): Promise<void> {
  const {
    timeoutMs = DEFAULT_BOUND_MS,
    what,
    intervalMs = 10,
  } = typeof options === 'number' ? { timeoutMs: options } : options
  let expired = false
  const bound = setTimeout(() => {
    expired = true
  }, timeoutMs)
  try {
    while (!(await check())) {
      if (expired) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? check.toString()}`)
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  } finally {
    clearTimeout(bound)
  }
}

/** Settles like `promise`, or rejects naming `what` if it has not settled within `timeoutMs`. */
export function within<T>(promise: PromiseLike<T>, what: string, timeoutMs = DEFAULT_BOUND_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const bound = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    )
    promise.then(
      (value) => {
        clearTimeout(bound)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(bound)
        reject(error)
      },
    )
  })
}

/**
 * Resolves the first time `matches` holds, asking again whenever `subscribe`'s listener fires (and
 * once right away); bounded like `within`. For objects with a change listener but no promise.
 */
export function whenChanged(
  subscribe: (listener: () => void) => () => void,
  matches: () => boolean,
  what: string,
  timeoutMs = DEFAULT_BOUND_MS,
): Promise<void> {
  let unsubscribe: (() => void) | undefined
  const changed = new Promise<void>((resolve) => {
    const check = () => {
      if (!matches()) return
      unsubscribe?.()
      resolve()
    }
    unsubscribe = subscribe(check)
    check()
  })
  return within(changed, what, timeoutMs).finally(() => unsubscribe?.())
}
