// `pnpm bench:api`: the HTTP API under load, against its floor measured in the same run. A child
// `penguin serve` (auth on, a token, 50 sessions, temp database and root, the mock model) and a
// child bare Hono app on @hono/node-server answering the same routes with the same bodies
// (`api-floor.mjs`) take turns under autocannon at 50 connections:
//   - GET /healthz and authenticated GET /api/v1/sessions (50 in the list): requests/s and p99 as
//     ratios to the floor's, the slowest single request (the floor's beside it), how many took over
//     250 ms on each side and what held them — the server's GC and event loop, and the time the
//     server and the load generator sat waiting for a CPU while other processes ran
//     (/proc/<pid>/schedstat, cpu-wait.mjs) — and penguin serve's peak RSS;
//   - the slowest FIRST request of a connection on each side: a round opens its 50 connections at
//     once, and Node 20 accepts one connection per event-loop turn (libuv/libuv#3696), so the last
//     ones wait in the kernel's accept queue while the turns before serve everyone already accepted
//     (penguin serve paces its requests while connections arrive — packages/server/src/http/
//     accept-pacing.ts —; the floor, a bare Hono server, does not);
//   - the first GET /api/v1/sessions after start (penguin serve warms its hot paths before listening);
//   - p50/p95/p99 of POST /api/v1/sessions, and one event's trip to 100 SSE subscribers.
// Exported as `apiFigures()` for all.mjs; run directly, it prints its own table. The numbers are
// those of this machine as it is: with other work on it every figure drops, which is why the goals
// are ratios to a floor measured alternately with Penguin in the same run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { PenguinClient } from '@penguin-ai/sdk'
import autocannon from 'autocannon'
import { peakRssMiB, startChild, startPenguin } from './api-servers.mjs'
import { explain, OPENING_MS, overGoal } from './api-slow.mjs'
import { median, printTable } from './measure.mjs'
import { processCpu } from './proc-cpu.mjs'

const FLOOR = fileURLToPath(new URL('./api-floor.mjs', import.meta.url))
const CONNECTIONS = 50
const DURATION_S = Number(process.env.PENGUIN_BENCH_API_SECONDS ?? 5)
const ROUNDS = 3
const SESSIONS = 50
const SUBSCRIBERS = 100
const FANOUT_RUNS = 5

const GOALS = {
  healthzRatio: 0.6,
  sessionsRatio: 0.35,
  p99Ratio: 10,
  slowestMs: 250,
  peakRssMiB: 200,
  fanoutP95Ms: 50,
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Wall-clock milliseconds on the clock report-pauses.mjs and cpu-wait.mjs use in every process. */
const wallNow = () => performance.timeOrigin + performance.now()

/**
 * autocannon for `seconds`, every response time kept; any error or non-2xx fails the bench. With
 * `pid`, also the server's CPU time per request — a figure other work on the machine barely moves.
 * `over` lists the requests slower than the goal (when each finished, and its time).
 */
async function load(options, connections = CONNECTIONS, seconds = DURATION_S, pid = undefined) {
  const cpuBefore = pid === undefined ? undefined : processCpu(pid)?.own
  const times = []
  const over = []
  const started = wallNow()
  let slowest = { ms: -1, at: 0, intoRound: 0 }
  // The slowest first request of a connection: its wait includes the connection being accepted.
  const answered = new WeakSet()
  let slowestFirst = 0
  const instance = autocannon({ ...options, connections, duration: seconds })
  instance.on('response', (client, _status, _bytes, ms) => {
    times.push(ms)
    if (!answered.has(client)) {
      answered.add(client)
      slowestFirst = Math.max(slowestFirst, ms)
    }
    if (ms <= GOALS.slowestMs && ms <= slowest.ms) return
    const at = wallNow()
    if (ms > GOALS.slowestMs) over.push({ ms, at, intoRound: at - ms - started })
    if (ms > slowest.ms) slowest = { ms, at, intoRound: at - ms - started }
  })
  const result = await instance
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${options.method ?? 'GET'} ${options.url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`,
    )
  }
  const cpuAfter = pid === undefined ? undefined : processCpu(pid)?.own
  times.sort((a, b) => a - b)
  return {
    requests: times.length,
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? Number.NaN
        : ((cpuAfter - cpuBefore) * 1000) / times.length,
    rps: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.at(-1) ?? Number.NaN,
    slowest,
    slowestFirst,
    over,
  }
}

/**
 * The floor and Penguin on one route, alternately: a warm-up each, then ROUNDS rounds of each.
 * Requests/s and p99 are the medians of the rounds; the slowest request is the slowest of all.
 */
async function compare(floor, penguin) {
  await load(floor.target, CONNECTIONS, 1)
  await load(penguin.target, CONNECTIONS, 1)
  const rounds = { floor: [], penguin: [] }
  for (let round = 0; round < ROUNDS; round++) {
    rounds.floor.push(await load(floor.target, CONNECTIONS, DURATION_S, floor.pid))
    rounds.penguin.push(await load(penguin.target, CONNECTIONS, DURATION_S, penguin.pid))
  }
  const summary = (runs) => ({
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    slowestFirst: Math.max(...runs.map((r) => r.slowestFirst)),
    cpuUs: median(runs.map((r) => r.cpuUsPerRequest)),
    // The slowest request of all rounds, when it finished, and in which round (1-based).
    slowest: runs
      .map((r, index) => ({ ...r.slowest, round: index + 1 }))
      .reduce((a, b) => (b.ms > a.ms ? b : a)),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    over: runs.flatMap((r) => r.over),
  })
  return { floor: summary(rounds.floor), penguin: summary(rounds.penguin) }
}

/** Per-event delay from the engine emitting it (its `time`) to the 100th subscriber reading it. */
async function fanout(client, workspace, mock) {
  const session = await client.sessions.create({ workspace, auto_approve: true })
  const received = new Map() // event id → { time, arrivals: number[] }
  const streams = Array.from({ length: SUBSCRIBERS }, () => client.events({ sessionId: session.id }))
  await Promise.all(streams.map((stream) => stream.connected()))
  const readers = streams.map(async (stream) => {
    for await (const event of stream) {
      const now = performance.timeOrigin + performance.now()
      if (event.event !== 'text.delta') continue
      const entry = received.get(event.id) ?? { time: event.data.time, arrivals: [] }
      entry.arrivals.push(now)
      received.set(event.id, entry)
    }
  })
  for (let run = 0; run < FANOUT_RUNS; run++) {
    mock.push({ text: 'x'.repeat(240), chunkDelayMs: 25 })
    await client.sessions.run(session.id, `run ${run}`)
  }
  // Let the slowest subscriber drain, then stop them all.
  await new Promise((resolve) => setTimeout(resolve, 200))
  for (const stream of streams) stream.close()
  await Promise.all(readers)
  // Each event's trip, as a request: from the engine's emit (`at - ms`) to the last arrival (`at`).
  const trips = [...received.values()]
    .filter((entry) => entry.arrivals.length === SUBSCRIBERS)
    .map((entry) => {
      const at = Math.max(...entry.arrivals)
      return { ms: at - entry.time, at }
    })
  const incomplete = received.size - trips.length
  if (trips.length === 0 || incomplete > 0) throw new Error(`${incomplete} events missed some subscribers`)
  const delays = trips.map((trip) => trip.ms).sort((a, b) => a - b)
  return {
    events: delays.length,
    p50: percentile(delays, 50),
    p95: percentile(delays, 95),
    max: delays.at(-1),
    over: trips.filter((trip) => trip.ms > GOALS.fanoutP95Ms),
  }
}

const ms = (value) => `${value.toFixed(2)} ms`
const ratio = (value) => `${value.toFixed(2)}×`
const load3 = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')

/** The rows of the performance table. */
export async function apiFigures() {
  const loadBefore = load3()
  const mock = await startMockServer({ script: [] })
  const penguin = await startPenguin(mock.url)
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-floor-'))
  let floor
  try {
    const client = new PenguinClient({ baseUrl: penguin.url, token: penguin.token })
    for (let i = 0; i < SESSIONS; i++) await client.sessions.create({ workspace: penguin.workspace })
    const auth = { authorization: `Bearer ${penguin.token}` }
    // The floor answers with exactly the body Penguin gives, so both serialise the same JSON.
    // The first list after start: what the first client of a fresh server waits for.
    const firstListStarted = performance.now()
    const listed = await (await fetch(`${penguin.url}/api/v1/sessions`, { headers: auth })).json()
    const firstList = performance.now() - firstListStarted
    if (listed.items?.length !== SESSIONS)
      throw new Error(`expected ${SESSIONS} sessions, got ${listed.items?.length}`)
    await writeFile(join(dir, 'sessions.json'), JSON.stringify(listed))
    floor = await startChild([FLOOR, join(dir, 'sessions.json')])

    const health = await compare(
      { target: { url: `${floor.url}/healthz` }, pid: floor.pid },
      { target: { url: `${penguin.url}/healthz` }, pid: penguin.pid },
    )
    const list = await compare(
      { target: { url: `${floor.url}/api/v1/sessions` }, pid: floor.pid },
      { target: { url: `${penguin.url}/api/v1/sessions`, headers: auth }, pid: penguin.pid },
    )
    const peakRss = peakRssMiB(penguin.pid)
    // POST adds thousands of sessions, so it comes after the list was measured at 50.
    const create = await load({
      url: `${penguin.url}/api/v1/sessions`,
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: penguin.workspace }),
    })
    const spread = await fanout(client, penguin.workspace, mock)
    const slowest = Math.max(health.penguin.max, list.penguin.max)
    const [slowRoute, slowPair] =
      health.penguin.slowest.ms >= list.penguin.slowest.ms
        ? ['GET /healthz', health]
        : ['GET /api/v1/sessions', list]
    const why = explain(slowPair.penguin.slowest, penguin)
    const longestGc = penguin.pauses.filter((p) => p.what === 'gc').reduce((max, p) => Math.max(max, p.ms), 0)
    const overPenguin = overGoal([...health.penguin.over, ...list.penguin.over], penguin, GOALS.slowestMs)
    const overFloor = overGoal([...health.floor.over, ...list.floor.over], floor, GOALS.slowestMs)
    const fanoutOver = overGoal(spread.over, penguin, GOALS.fanoutP95Ms)
    const held = (cpu) =>
      cpu === undefined
        ? 'n/a (no /proc schedstat)'
        : `ran ${ms(cpu.ran)}, waited ${ms(cpu.waited)} for a CPU`
    const overs = (o, requests) =>
      `${o.count} of ${requests} (${o.opening} sent in a round's first ${OPENING_MS} ms, while its ${CONNECTIONS} connections opened${Number.isNaN(o.onHold) ? '' : `; ${o.onHold} within ${GOALS.slowestMs} ms but for the time the server or the load generator waited for a CPU`})`
    const side = (name, r) => `${name} ${Math.round(r.rps)} req/s, p99 ${ms(r.p99)}`
    const rows = []
    for (const [route, pair, goal] of [
      ['GET /healthz', health, GOALS.healthzRatio],
      [`GET /api/v1/sessions (authenticated, ${SESSIONS} items)`, list, GOALS.sessionsRatio],
    ]) {
      const throughput = pair.penguin.rps / pair.floor.rps
      const tail = pair.penguin.p99 / pair.floor.p99
      rows.push(
        {
          area: 'API',
          figure: `${route}, ${CONNECTIONS} connections: requests/s vs the floor (${side('penguin', pair.penguin)}; ${side('floor', pair.floor)})`,
          value: ratio(throughput),
          target: `≥ ${goal}×`,
          ok: throughput >= goal,
        },
        {
          area: 'API',
          figure: `${route}: server CPU time per request (penguin ${pair.penguin.cpuUs.toFixed(0)} µs; floor ${pair.floor.cpuUs.toFixed(0)} µs)`,
          value: ratio(pair.penguin.cpuUs / pair.floor.cpuUs),
        },
        {
          area: 'API',
          figure: `${route}, ${CONNECTIONS} connections: p99 vs the floor's`,
          value: ratio(tail),
          target: `< ${GOALS.p99Ratio}×`,
          ok: tail < GOALS.p99Ratio,
        },
      )
    }
    rows.push(
      {
        area: 'API',
        figure: `the slowest single request to penguin serve in those runs (the floor's slowest: ${ms(Math.max(health.floor.max, list.floor.max))})`,
        value: ms(slowest),
        target: `≤ ${GOALS.slowestMs} ms`,
        ok: slowest <= GOALS.slowestMs,
      },
      {
        area: 'API',
        figure: `  that request: ${slowRoute}, round ${slowPair.penguin.slowest.round} of ${ROUNDS}, sent ${ms(Math.max(0, slowPair.penguin.slowest.intoRound))} into it; meanwhile penguin serve ${held(why.serverCpu)}, its GC paused it ${ms(why.gc)} and its event loop was held ${ms(why.stall)} (longest GC pause in all the load: ${ms(longestGc)}); the load generator ${held(why.clientCpu)}, its GC ${ms(why.client)}`,
        value: '',
      },
      {
        area: 'API',
        figure: `  requests over ${GOALS.slowestMs} ms: penguin serve ${overs(overPenguin, health.penguin.requests + list.penguin.requests)}; the floor ${overs(overFloor, health.floor.requests + list.floor.requests)}`,
        value: String(overPenguin.count),
      },
      {
        area: 'API',
        figure: `  the slowest first request of a new connection (a round opens its ${CONNECTIONS} at once; Node accepts one per loop turn): penguin serve ${ms(Math.max(health.penguin.slowestFirst, list.penguin.slowestFirst))}; the floor ${ms(Math.max(health.floor.slowestFirst, list.floor.slowestFirst))}`,
        value: '',
      },
      {
        area: 'API',
        figure: `the first GET /api/v1/sessions after start (${SESSIONS} items; the ones under load above came after a warm-up)`,
        value: ms(firstList),
      },
      {
        area: 'API',
        figure: 'peak RSS of penguin serve after that load (no tuning flags)',
        value: peakRss === undefined ? 'n/a (not Linux)' : `${peakRss.toFixed(0)} MiB`,
        target: `< ${GOALS.peakRssMiB} MiB`,
        ...(peakRss === undefined ? {} : { ok: peakRss < GOALS.peakRssMiB }),
      },
      {
        area: 'API',
        figure: `POST /api/v1/sessions, ${CONNECTIONS} connections (${Math.round(create.rps)} req/s): p50 / p95 / p99`,
        value: `${ms(create.p50)} / ${ms(create.p95)} / ${ms(create.p99)}`,
      },
      {
        area: 'API',
        figure: `one event to all ${SUBSCRIBERS} SSE subscribers (${spread.events} events): p50 / p95 / max`,
        value: `${ms(spread.p50)} / ${ms(spread.p95)} / ${ms(spread.max)}`,
        target: `p95 < ${GOALS.fanoutP95Ms} ms`,
        ok: spread.p95 < GOALS.fanoutP95Ms,
      },
      {
        area: 'API',
        figure: `  events over ${GOALS.fanoutP95Ms} ms: ${fanoutOver.count} of ${spread.events}${Number.isNaN(fanoutOver.onHold) ? '' : ` (${fanoutOver.onHold} within ${GOALS.fanoutP95Ms} ms but for the time penguin serve or the subscribers' process waited for a CPU)`}`,
        value: '',
      },
      {
        area: 'API',
        figure: `measured on this machine as it was (load average before: ${loadBefore}; after: ${load3()}); other work on it lowers every figure, the ratios less`,
        value: '',
      },
    )
    return rows
  } finally {
    await floor?.close()
    await penguin.close()
    await mock.close()
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await apiFigures()
  printTable('Penguin API against a bare Hono server (the floor), measured in the same run', [
    ['figure', 'value', 'target', ''],
    ...rows.map((row) => [
      row.figure,
      row.value,
      row.target ?? '',
      row.ok === undefined ? '' : row.ok ? 'ok' : 'MISS',
    ]),
  ])
}
