/**
 * Runs `worker` over `items` with at most `concurrency` in flight. A worker that throws stops the
 * pool from starting more; in-flight work finishes, then the first error is rethrown. An aborted
 * signal also stops new work (without an error).
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async () => {
    for (;;) {
      if (failure || signal?.aborted || next >= items.length) return
      const index = next++
      try {
        await worker(items[index] as T, index)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  const lanes = Math.max(1, Math.min(concurrency, items.length))
  await Promise.all(Array.from({ length: lanes }, lane))
  if (failure) throw failure.error
}
