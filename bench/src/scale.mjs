// `pnpm bench:scale`: runs completed per minute by a pool of 1, 2 and 4 `penguin worker`s sharing one
// PostgreSQL (a private cluster) behind one `penguin serve --database`, against the mock model with
// 200 ms latency per turn. Each run is a session's prompt of two turns (a write_file call, then the
// answer); every worker gets the same share of runs (RUNS_PER_WORKER × workers), all queued at once,
// timed from the first prompt to the last run.finished on the server's event stream. Before that,
// WARMUP_PER_WORKER runs per worker go through untimed: a worker's first run loads and compiles the
// engine, the model SDK and the database code, which is start-up, not the throughput asked about.
// Target (issue 18): near-linear scaling — 2 workers ≥ 1.8× and 4 workers ≥ 3.6× the runs per minute
// of one (90% of linear). On a 2-core machine the workers share the cores with PostgreSQL, the
// server and each other, so the ratio also says how much CPU a run costs; run it on a quiet machine.
//
// What each timed run cost is printed too, counted rather than timed so that it holds on a busy
// machine: CPU milliseconds per run of the workers (their children apart: the checkpoint shells they
// keep running, with the git commands those ran, and any child they started directly), the server and
// PostgreSQL (/proc/<pid>/stat), SQL statements per run (pg_stat_statements, BEGIN/COMMIT
// included) and child processes the workers started per run (bench/src/count-spawns.cjs, preloaded).
// BENCH_SCALE_STATEMENTS=1 also lists the statements of the 1-worker round by how often a run ran them.
// BENCH_SCALE_PROFILE=DIR writes a V8 CPU profile of the server and of every worker into DIR
// (<pid>.cpuprofile at each process's exit, bench/src/cpu-profile.cjs; Chrome DevTools, speedscope).
// BENCH_SCALE_WORKER_NODE_OPTIONS adds Node options to every worker's NODE_OPTIONS (e.g.
// `--perf-basic-prof` to read a worker's JavaScript frames in `perf record`, or `--require FILE`).
//
// BENCH_LATENCY_MS (200), BENCH_SCALE_RUNS (runs per worker, 12), BENCH_SCALE_WARMUP (untimed runs
// per worker first, 2), BENCH_SCALE_CONCURRENCY (each worker's --concurrency, 1), BENCH_SCALE_WORKERS
// ("1,2,4") change the set-up; BENCH_SCALE_PG_SETTINGS ("name=value name=value", space-separated)
// adds PostgreSQL settings, e.g. `logging_collector=on log_directory=/tmp/pglog log_statement=all`
// to see which statements a ROLLBACK undid (the cluster's own log goes with it).
// `scaleFigures()` returns the figures; run this file to print them (exit 1 when a run fails or the
// target is missed).
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { printTable } from './measure.mjs'
import { processCpu, processTreeCpu, treeCpu } from './proc-cpu.mjs'

// By path, like the CLI the other scripts run: the harness depends on penguin-ai, which depends on
// this package, so it cannot be a dependency here (`bench:scale` builds it first).
const { recordEvents, startDeployment } = await import(
  new URL('../../tooling/scale-harness/dist/index.js', import.meta.url).href
)

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 200)
const RUNS_PER_WORKER = Number(process.env.BENCH_SCALE_RUNS ?? 12)
const WARMUP_PER_WORKER = Number(process.env.BENCH_SCALE_WARMUP ?? 2)
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 1)
const WORKERS = (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number)
const LIST_STATEMENTS = process.env.BENCH_SCALE_STATEMENTS === '1'
const COUNT_SPAWNS = fileURLToPath(new URL('./count-spawns.cjs', import.meta.url))
const PROFILE_DIR = process.env.BENCH_SCALE_PROFILE
const PROFILE_OPTIONS = PROFILE_DIR
  ? ` --require ${fileURLToPath(new URL('./cpu-profile.cjs', import.meta.url))}`
  : ''
/** How often the bench samples its own event loop's lateness (ms). */
const LAG_RESOLUTION_MS = 5
/** Near-linear: this share of the ideal speed-up. */
export const TARGET_EFFICIENCY = 0.9

/** Each task "Bench run N" is two turns: write_file, then the answer. */
function model(request) {
  const messages = request.body?.messages ?? []
  const user = messages.find((message) => message.role === 'user')
  const text = typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '')
  const run = /Bench run (\d+)/.exec(text)?.[1] ?? '0'
  const usage = { prompt_tokens: 300, completion_tokens: 20 }
  if (messages.some((message) => message.role === 'tool'))
    return { text: `Run ${run} done.`, usage, delayMs: LATENCY_MS }
  return {
    toolCalls: [{ name: 'write_file', arguments: { path: 'result.txt', content: `run ${run}\n` } }],
    usage,
    delayMs: LATENCY_MS,
  }
}

/** Queues `runs` prompts on fresh sessions at once; resolves with the seconds until the last ended. */
async function measure(deployment, server, stream, workers, first, runs) {
  const sessions = []
  for (let i = first; i < first + runs; i++) {
    const workspace = join(deployment.root, `run-${i}`)
    await mkdir(workspace)
    const created = await server.request('POST', '/sessions', { workspace, auto_approve: true })
    if (created.status !== 201)
      throw new Error(`POST /sessions: ${created.status} ${JSON.stringify(created.body)}`)
    sessions.push({ id: created.body.id, run: i })
  }
  // Events from before these prompts (earlier rounds) are never looked at again (see below).
  let scanned = stream.events.length
  const started = performance.now()
  const runIds = await Promise.all(
    sessions.map(async (session) => {
      const posted = await server.request('POST', `/sessions/${session.id}/messages`, {
        content: `Bench run ${session.run}: write result.txt, then say done.`,
      })
      if (posted.status !== 202)
        throw new Error(`POST messages: ${posted.status} ${JSON.stringify(posted.body)}`)
      return posted.body.run_id
    }),
  )
  const pending = new Set(runIds)
  const startedAt = new Map()
  const finished = []
  // The recorder keeps every event since the bench began and checks on each chunk: only the events
  // not looked at yet are scanned, or the bench's own CPU (on the cores the deployment shares) grows
  // with everything earlier rounds streamed — the 4-worker round, last and busiest, paid most.
  await stream.until(
    (events) => {
      const fresh = events.slice(scanned)
      scanned = events.length
      const now = performance.now()
      for (const event of fresh) {
        if (!pending.has(event.data.run_id)) continue
        if (event.event === 'run.started') startedAt.set(event.data.run_id, now)
        if (event.event !== 'run.finished') continue
        pending.delete(event.data.run_id)
        finished.push({
          status: event.data.status,
          at: now,
          ms: now - (startedAt.get(event.data.run_id) ?? now),
        })
      }
      return pending.size === 0
    },
    `run.finished of ${runs} runs on ${workers} worker(s)`,
    600_000,
  )
  const seconds = (Math.max(...finished.map((f) => f.at)) - started) / 1000
  const completed = finished.filter((f) => f.status === 'completed').length
  // One run from run.started to run.finished as this stream saw them: what a run takes on a worker,
  // apart from the queue and from how the runs shared out at the end of the round.
  const runMs = finished.map((f) => f.ms).sort((a, b) => a - b)[Math.floor(finished.length / 2)] ?? 0
  // The pool's rate while every worker is busy: from the `workers`-th run.finished to the
  // (runs − workers)-th. A batch's edges cost a pool of several workers what they do not cost
  // one: they start together and drift apart, so by the last runs some workers wait idle while
  // others finish theirs (on average about half a run each). The slope between those two finishes
  // leaves out the filling and the draining on either side, for 1 worker as for 4.
  const at = finished.map((f) => f.at).sort((a, b) => a - b)
  const from = at[workers - 1]
  const to = at[runs - workers - 1]
  const steadyPerMinute =
    runs > 2 * workers && from !== undefined && to !== undefined && to > from
      ? ((runs - 2 * workers) / (to - from)) * 60_000
      : Number.NaN
  return { seconds, completed, runs, runMs, steadyPerMinute }
}

/** Statement counts of the deployment's database so far, by normalised statement text. */
async function statementCounts(deployment) {
  const rows = await deployment.maintenanceQuery(
    `SELECT s.query, sum(s.calls)::float8 AS calls, sum(s.total_exec_time)::float8 AS ms,
      sum(s.total_plan_time)::float8 AS plan FROM pg_stat_statements s
      JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 GROUP BY s.query`,
    [deployment.databaseName],
  )
  return new Map(rows.map((row) => [row.query, { calls: row.calls, ms: row.ms, plan: row.plan }]))
}

/** Children a worker started, from its main thread and its threads (bench/src/count-spawns.cjs). */
function spawnsOf(spawnsFile) {
  const dir = dirname(spawnsFile)
  const prefix = `${basename(spawnsFile)}.thread-`
  return readdirSync(dir)
    .filter((name) => name === basename(spawnsFile) || name.startsWith(prefix))
    .reduce((sum, name) => sum + Number(readFileSync(join(dir, name), 'utf8') || 0), 0)
}

/** Everything the cost of a round is read from: CPU so far, statements so far, spawns so far. */
async function costSnapshot(deployment, server, workers) {
  return {
    workers: workers.map(({ process }) => processTreeCpu(process.pid)),
    spawns: workers.reduce((sum, { spawnsFile }) => sum + spawnsOf(spawnsFile), 0),
    server: processCpu(server.process.pid),
    postgres: treeCpu(deployment.postgresPid()),
    statements: await statementCounts(deployment),
  }
}

/** Per run, between two snapshots: CPU ms (workers, their children, server, PostgreSQL), statements, spawns. */
function costPerRun(before, after, runs) {
  const sum = (key) => after.workers.reduce((total, cpu, i) => total + cpu[key] - before.workers[i][key], 0)
  let statements = 0
  // The store retries a SERIALIZABLE write PostgreSQL aborted (after a jittered pause): a conflict
  // between workers shows as a ROLLBACK.
  let rollbacks = 0
  const byStatement = []
  for (const [query, { calls, ms, plan }] of after.statements) {
    const earlier = before.statements.get(query)
    const delta = calls - (earlier?.calls ?? 0)
    statements += delta
    if (/^\s*rollback\b/i.test(query)) rollbacks += delta
    if (delta > 0)
      byStatement.push({
        query,
        perRun: delta / runs,
        msPerRun: (ms - (earlier?.ms ?? 0)) / runs,
        planMsPerRun: (plan - (earlier?.plan ?? 0)) / runs,
      })
  }
  byStatement.sort((a, b) => b.perRun - a.perRun)
  const server = after.server.own - before.server.own
  const postgres = after.postgres - before.postgres
  return {
    workerMs: sum('own') / runs,
    childrenMs: sum('children') / runs,
    serverMs: server / runs,
    postgresMs: postgres / runs,
    totalMs: (sum('own') + sum('children') + server + postgres) / runs,
    statements: statements / runs,
    spawns: (after.spawns - before.spawns) / runs,
    rollbacks: rollbacks / runs,
    byStatement,
  }
}

export async function scaleFigures() {
  const mock = await startMockServer({ script: model })
  const deployment = await startDeployment({
    model: 'openai/gpt-4o',
    baseUrl: mock.url,
    env: {
      OPENAI_API_KEY: 'sk-bench',
      ...(PROFILE_DIR
        ? { NODE_OPTIONS: PROFILE_OPTIONS.trim(), PENGUIN_BENCH_PROFILE_DIR: resolve(PROFILE_DIR) }
        : {}),
    },
    postgresSettings: [
      'shared_preload_libraries=pg_stat_statements',
      ...(process.env.BENCH_SCALE_PG_SETTINGS ?? '').split(' ').filter(Boolean),
    ],
  })
  const load = [loadavg()[0]]
  try {
    await deployment.maintenanceQuery('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    const server = await deployment.startServer('server')
    const stream = await recordEvents(`${server.url}/api/v1/events`)
    const rows = []
    let next = 0
    try {
      for (const count of WORKERS) {
        const workers = []
        for (let i = 0; i < count; i++) {
          const name = `worker-${count}-${i}`
          const spawnsFile = join(deployment.home, `${name}.spawns`)
          const env = {
            NODE_OPTIONS:
              `--require ${COUNT_SPAWNS}${PROFILE_OPTIONS} ${process.env.BENCH_SCALE_WORKER_NODE_OPTIONS ?? ''}`.trim(),
            PENGUIN_BENCH_SPAWNS_FILE: spawnsFile,
          }
          const child = await deployment.startWorker(name, { concurrency: CONCURRENCY, env })
          workers.push({ process: child, spawnsFile })
        }
        const warmup = WARMUP_PER_WORKER * count
        if (warmup > 0) await measure(deployment, server, stream, count, next, warmup)
        next += warmup
        const runs = RUNS_PER_WORKER * count
        const before = await costSnapshot(deployment, server, workers)
        // This process is part of the set-up: it is the model (the mock's 200 ms are its timers)
        // and reads the event stream, on the cores the deployment shares. If its event loop lags,
        // every model turn is slower than 200 ms — more so with more workers, so its own CPU and
        // lag are printed beside the figures.
        const benchCpu = process.cpuUsage()
        const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
        lag.enable()
        const result = await measure(deployment, server, stream, count, next, runs)
        lag.disable()
        const used = process.cpuUsage(benchCpu)
        const cost = {
          ...costPerRun(before, await costSnapshot(deployment, server, workers), runs),
          benchMs: (used.user + used.system) / 1000 / runs,
          // The histogram holds each sampling timer's delay, its resolution included: lateness is the rest.
          benchLagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
          benchLagMeanMs: Math.max(0, lag.mean / 1e6 - LAG_RESOLUTION_MS),
        }
        next += runs
        await Promise.all(workers.map(({ process }) => process.stop('SIGTERM')))
        rows.push({ workers: count, ...result, perMinute: (result.completed / result.seconds) * 60, cost })
      }
    } finally {
      await stream.close()
    }
    load.push(loadavg()[0])
    const base = rows.find((row) => row.workers === 1)?.perMinute
    const steadyBase = rows.find((row) => row.workers === 1)?.steadyPerMinute
    for (const row of rows) {
      row.steadyRatio = steadyBase ? row.steadyPerMinute / steadyBase : Number.NaN
      row.ratio = base ? row.perMinute / base : Number.NaN
      row.goal = row.workers * TARGET_EFFICIENCY
      row.met = row.workers === 1 || row.ratio >= row.goal
    }
    return {
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      runsPerWorker: RUNS_PER_WORKER,
      warmupPerWorker: WARMUP_PER_WORKER,
      rows,
      load,
      allCompleted: rows.every((row) => row.completed === row.runs),
      met: rows.every((row) => row.met),
    }
  } finally {
    await deployment.stop()
    await mock.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await scaleFigures()
  printTable(
    `runs of 2 turns (write_file, answer), mock model with ${figures.latencyMs} ms per turn; one \`penguin serve --database\`, workers with --concurrency ${figures.concurrency}, ${figures.runsPerWorker} runs per worker queued at once after ${figures.warmupPerWorker} untimed warm-up runs per worker (load average ${figures.load.map((l) => l.toFixed(1)).join(' → ')})`,
    [
      [
        'workers',
        'runs',
        'completed',
        'seconds',
        'runs/min',
        'run ms (median)',
        'busy runs/min',
        'busy vs 1 worker',
        `vs 1 worker (goal ≥ ${TARGET_EFFICIENCY * 100}% of linear)`,
      ],
      ...figures.rows.map((row) => [
        String(row.workers),
        String(row.runs),
        String(row.completed),
        row.seconds.toFixed(2),
        row.perMinute.toFixed(1),
        row.runMs.toFixed(0),
        row.steadyPerMinute.toFixed(1),
        `${row.steadyRatio.toFixed(2)}×`,
        row.workers === 1
          ? '1.00×'
          : `${row.ratio.toFixed(2)}× (goal ≥ ${row.goal.toFixed(1)}×: ${row.met ? 'met' : 'MISS'})`,
      ]),
    ],
  )
  printTable(
    'cost per timed run (CPU from /proc: counted, not timed; statements from pg_stat_statements; spawns = child processes the workers started)',
    [
      [
        'workers',
        'CPU ms/run',
        'workers',
        'their children',
        'server',
        'PostgreSQL',
        'statements/run',
        'spawns/run',
        'rollbacks/run',
        'bench process ms/run',
        'its timers late, mean / p99 ms',
      ],
      ...figures.rows.map((row) => [
        String(row.workers),
        row.cost.totalMs.toFixed(0),
        row.cost.workerMs.toFixed(0),
        row.cost.childrenMs.toFixed(0),
        row.cost.serverMs.toFixed(0),
        row.cost.postgresMs.toFixed(0),
        row.cost.statements.toFixed(1),
        row.cost.spawns.toFixed(1),
        row.cost.rollbacks.toFixed(2),
        row.cost.benchMs.toFixed(0),
        `${row.cost.benchLagMeanMs.toFixed(1)} / ${row.cost.benchLagP99Ms.toFixed(1)}`,
      ]),
    ],
  )
  const single = figures.rows.find((row) => row.workers === 1)
  if (LIST_STATEMENTS && single) {
    console.log(
      '\nstatements per run, 1 worker (pg_stat_statements, normalised; calls, ms executing them, ms planning them — 0 unless BENCH_SCALE_PG_SETTINGS has pg_stat_statements.track_planning=on):',
    )
    for (const { query, perRun, msPerRun, planMsPerRun } of single.cost.byStatement)
      console.log(
        `${perRun.toFixed(2).padStart(7)} ${msPerRun.toFixed(2).padStart(6)} ${planMsPerRun.toFixed(2).padStart(6)}  ${query.replace(/\s+/g, ' ').slice(0, 150)}`,
      )
  }
  if (!figures.allCompleted) console.log('\nNOT every run completed: the figures above are not valid.')
  console.log(`\nnear-linear scaling: ${figures.met && figures.allCompleted ? 'met' : 'MISS'}`)
  if (!figures.met || !figures.allCompleted) process.exitCode = 1
}
