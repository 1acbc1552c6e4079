// Preloaded into `penguin serve` and the floor by bench:api: reports, as they happen, the server's
// long pauses — garbage collections and event-loop stalls — and, every 20 ms, how long its main
// thread has run and waited for a CPU so far, on stderr with wall-clock times, so the bench can
// tell what kept its slowest requests waiting (the server's GC, other work of the server, the
// machine's other processes holding the CPUs, or the load generator).
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { sampleCpuWait } from './cpu-wait.mjs'

/** Pauses shorter than this are not worth a line (and would be thousands of lines). */
const MIN_MS = 5
const KINDS = {
  1: 'scavenge',
  2: 'mark-compact',
  4: 'incremental',
  8: 'weak-callbacks',
  16: 'minor-mark-sweep',
}

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration < MIN_MS) continue
    const kind = KINDS[entry.detail?.kind] ?? 'gc'
    process.stderr.write(
      `PAUSE gc ${(performance.timeOrigin + entry.startTime).toFixed(1)} ${entry.duration.toFixed(1)} ${kind}\n`,
    )
  }
}).observe({ entryTypes: ['gc'] })

// A timer that should fire every 20 ms: when it fires late, the event loop was held for that long.
const PERIOD = 20
let expected = performance.now() + PERIOD
setInterval(() => {
  const now = performance.now()
  const late = now - expected
  if (late >= MIN_MS * 4)
    process.stderr.write(
      `PAUSE loop ${(performance.timeOrigin + now - late).toFixed(1)} ${late.toFixed(1)} stall\n`,
    )
  expected = now + PERIOD
}, PERIOD).unref()

sampleCpuWait(([wall, ran, waited]) =>
  process.stderr.write(`SCHED ${wall.toFixed(1)} ${ran.toFixed(2)} ${waited.toFixed(2)}\n`),
)
