// What held bench:api's slow requests: the server's GC pauses and event-loop stalls, and the time
// the server and the load generator (this process) waited for a CPU while other processes ran.
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { cpuBetween, sampleCpuWait } from './cpu-wait.mjs'

/** This process's own GC pauses (autocannon measures latency here, so they lengthen it too). */
const ownPauses = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (entry.duration >= 5)
      ownPauses.push({ what: 'gc', start: performance.timeOrigin + entry.startTime, ms: entry.duration })
}).observe({ entryTypes: ['gc'] })

/** This process's CPU time and wait for a CPU (autocannon reads the responses here). */
const ownSched = []
sampleCpuWait((sample) => ownSched.push(sample))

/**
 * What a slow request waited on, from when it was sent to when its response was read: the
 * server's GC pauses and event-loop stalls (reported by report-pauses.mjs) that overlap it, how
 * long the server's main thread ran and how long it waited for a CPU while other processes had
 * both, and the same for the load generator (this process). `machine` is the longer of the two
 * waits: time the request spent on hold because the kernel ran something else.
 */
export function explain(request, server) {
  const from = request.at - request.ms
  const overlap = (p) => Math.max(0, Math.min(p.start + p.ms, request.at) - Math.max(p.start, from))
  const { pauses } = server
  const gc = pauses.filter((p) => p.what === 'gc').reduce((sum, p) => sum + overlap(p), 0)
  const stall = pauses.filter((p) => p.what === 'loop').reduce((max, p) => Math.max(max, overlap(p)), 0)
  const client = ownPauses.reduce((sum, p) => sum + overlap(p), 0)
  const serverCpu = cpuBetween(server.sched, from, request.at)
  const clientCpu = cpuBetween(ownSched, from, request.at)
  const machine = serverCpu && clientCpu ? Math.max(serverCpu.waited, clientCpu.waited) : Number.NaN
  return { gc, stall, client, serverCpu, clientCpu, machine }
}

/** A round's first milliseconds, while autocannon opens its connections all at once. */
export const OPENING_MS = 100

/**
 * The requests over the goal; of them, those that would have met it had the server and the load
 * generator not waited for a CPU (NaN where /proc has no schedstat), and those sent while a round
 * was opening its connections.
 */
export function overGoal(over, server, goalMs) {
  const onHold = over.filter((request) => request.ms - explain(request, server).machine <= goalMs)
  const known = server.sched.length > 1 && ownSched.length > 1
  return {
    count: over.length,
    onHold: known ? onHold.length : Number.NaN,
    opening: over.filter((request) => request.intoRound < OPENING_MS).length,
  }
}
