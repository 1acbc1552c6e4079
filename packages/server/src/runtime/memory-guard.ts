/**
 * A bound on the server's heap between V8's own collections. V8 sizes the heap for throughput: a
 * server passing megabytes of command output through events lets short-lived garbage pile up in
 * the old generation, and its resident memory grew with every command of a long run (over 300 MB
 * in `pnpm bench:soak`, where `--max-old-space-size=128` kept it under 200 MB). A library cannot set
 * heap limits, so this watches the heap and runs a full collection when it has grown well past
 * what was live after the previous one. An idle or lightly loaded server never triggers it.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export interface MemoryGuardOptions {
  /** How often the heap is looked at. Default 1 s. */
  intervalMs?: number
  /** No collection below this many bytes of heap in use. Default 96 MiB. */
  floorBytes?: number
  /** Collect once the heap in use exceeds this multiple of what the last collection left. Default 2. */
  growth?: number
}

let collect: (() => void) | null | undefined

/** V8's full collection, exposed at run time (`--expose-gc` for new contexts); null if refused. */
function garbageCollector(): (() => void) | null {
  if (collect !== undefined) return collect
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    collect = typeof gc === 'function' ? (gc as () => void) : null
  } catch {
    collect = null
  }
  return collect
}

/** Starts watching; returns the function that stops it. */
export function startMemoryGuard(options: MemoryGuardOptions = {}): () => void {
  const gc = garbageCollector()
  if (!gc) return () => {}
  const floor = options.floorBytes ?? 96 * 1024 * 1024
  const growth = options.growth ?? 2
  let live = getHeapStatistics().used_heap_size
  const timer = setInterval(() => {
    const used = getHeapStatistics().used_heap_size
    if (used < Math.max(floor, live * growth)) return
    gc()
    live = getHeapStatistics().used_heap_size
  }, options.intervalMs ?? 1_000)
  timer.unref()
  return () => clearInterval(timer)
}
