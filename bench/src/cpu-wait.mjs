// How long a process's main thread ran and how long it sat runnable but waiting for a CPU (the
// kernel gave the CPU to other processes), from Linux's /proc/<pid>/schedstat, sampled on a timer.
// bench:api uses it to tell a slow request Penguin caused from one the machine caused: a server
// that waited 300 ms for a CPU answers 300 ms late whatever its code does.
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Milliseconds between samples: fine enough to place a 250 ms request, cheap enough (~10 µs a read). */
export const SAMPLE_MS = 20

/** The main thread's `[wall ms, ran ms, waited ms]` now; undefined where /proc has no schedstat. */
export function schedSample(pid = 'self') {
  try {
    const [ran, waited] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number)
    if (!Number.isFinite(ran) || !Number.isFinite(waited)) return undefined
    return [performance.timeOrigin + performance.now(), ran / 1e6, waited / 1e6]
  } catch {
    return undefined
  }
}

/**
 * Samples this process every SAMPLE_MS into `series` (or calls `onSample`), until the process
 * exits; does nothing where schedstat is missing. The timer is unref'd.
 */
export function sampleCpuWait(onSample) {
  if (schedSample() === undefined) return
  setInterval(() => {
    const sample = schedSample()
    if (sample) onSample(sample)
  }, SAMPLE_MS).unref()
}

/** A cumulative column of a sample series at `time`, interpolated between the samples around it. */
function valueAt(series, time, column) {
  if (time <= series[0][0]) return series[0][column]
  const last = series.length - 1
  if (time >= series[last][0]) return series[last][column]
  let low = 0
  let high = last
  while (high - low > 1) {
    const middle = (low + high) >> 1
    if (series[middle][0] <= time) low = middle
    else high = middle
  }
  const fraction = (time - series[low][0]) / (series[high][0] - series[low][0])
  return series[low][column] + fraction * (series[high][column] - series[low][column])
}

/** Milliseconds the process ran and waited for a CPU between `from` and `to`; undefined without samples. */
export function cpuBetween(series, from, to) {
  if (series.length < 2) return undefined
  return {
    ran: valueAt(series, to, 1) - valueAt(series, from, 1),
    waited: valueAt(series, to, 2) - valueAt(series, from, 2),
  }
}
