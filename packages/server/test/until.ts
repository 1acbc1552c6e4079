/**
 * Resolves once `check` holds, re-checking every few milliseconds — for state that has no event
 * to wait on (a row's status, a metric). The bound only turns a hang into a clear error, so it is
 * generous: a busy machine is slow, and the test's own timeout usually comes first.
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  let expired = false
  const bound = setTimeout(() => {
    expired = true
  }, timeoutMs)
  try {
    while (!(await check())) {
      if (expired) throw new Error(`timed out after ${timeoutMs} ms waiting for ${check.toString()}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  } finally {
    clearTimeout(bound)
  }
}
