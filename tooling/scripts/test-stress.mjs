#!/usr/bin/env node
// `pnpm test:stress [--runs N]`: the whole test suite N times in a row (default 3) while two
// CPU-bound processes run beside it — `stress-ng --cpu 2` when it is installed (Debian package
// `stress-ng`), else two Node busy loops. A suite that waits for events instead of the clock passes
// on a machine this busy; one that sleeps or measures time does not, and this is where it shows.
// Every run really runs its tests and reports all failures (--continue). Prints each run's wall
// time; exits 1 if any run failed.
//
// Only the tests are run again, not the builds they depend on: before each run the cached results
// of this graph's test tasks are removed from turbo's local cache, so the builds replay from the
// cache (`turbo --force` would rebuild every package under load, minutes of CI time) and the tests
// execute. Should a test still show as cached afterwards (a cache directory we did not find), the run
// falls back to `--force`.
//
// One turbo process, like `pnpm test`, so that its cache entries are the ones `pnpm test` replays
// (CI runs it next). Running the CLI's tests (the longest, which turbo starts last) in a second,
// concurrent turbo would need `--only`, and a task run with `--only` is hashed without its
// dependencies: `pnpm test` then found nothing to replay and ran the whole suite again.
//
// After each run it prints when each package's tests started and how long they took (from turbo's
// run summary, --summarize), so a package whose tests start late or run long shows in the CI log.
// At the very end it prints the failures of every package that failed again, taken from turbo's log
// of that task: a CI log is often read from its tail, and the suite's own output ends with the CLI's
// long passing list, far below a failure printed minutes earlier. Tests that failed an attempt and
// passed on a retry print a `[failed attempt]` line (see packages/projects/vitest.config.ts); those
// lines, from every package's log, are listed at the end too, whether the run passed or not.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { runs, turboArgs } = parseArgs(process.argv.slice(2))

/** `--runs N` (or PENGUIN_STRESS_RUNS); anything else is passed to turbo, e.g. `--filter=...`. */
function parseArgs(argv) {
  let runs = Number(process.env.PENGUIN_STRESS_RUNS ?? 3)
  const turboArgs = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--runs') runs = Number(argv[++i])
    else if (arg.startsWith('--runs=')) runs = Number(arg.slice('--runs='.length))
    else if (arg !== '--') turboArgs.push(arg)
  }
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('test:stress: --runs takes a whole number of runs, at least 1')
    process.exit(2)
  }
  return { runs, turboArgs }
}

/** Two CPU-bound processes, in their own process group so they can be stopped together. */
function startLoad() {
  const hasStressNg = spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0
  const children = hasStressNg
    ? [spawn('stress-ng', ['--cpu', '2', '--quiet'], { detached: true, stdio: 'ignore' })]
    : [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { detached: true, stdio: 'ignore' }))
  const description = hasStressNg ? 'stress-ng --cpu 2' : 'two node busy loops (stress-ng not installed)'
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  }
  return { description, stop }
}

function formatSeconds(ms) {
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

let suite

/** The test tasks of this run's graph as turbo plans them: their hashes and whether they are cached. */
function plannedTests() {
  const dry = spawnSync('pnpm', ['-s', 'test', '--dry=json', ...turboArgs], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (dry.status !== 0) return undefined
  try {
    return JSON.parse(dry.stdout).tasks.filter((task) => task.task === 'test')
  } catch {
    return undefined
  }
}

/**
 * Turbo's local cache: TURBO_CACHE_DIR, else `.turbo/cache` beside the repository's main checkout
 * (git worktrees share it).
 */
function turboCacheDir() {
  if (process.env.TURBO_CACHE_DIR) return resolvePath(root, process.env.TURBO_CACHE_DIR)
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: root,
    encoding: 'utf8',
  })
  const checkout = common.status === 0 ? dirname(common.stdout.trim()) : root
  return join(checkout, '.turbo', 'cache')
}

/** Removes the cached results of the test tasks; true when none of them is cached any more. */
function forgetTestResults() {
  const tests = plannedTests()
  if (!tests) return false
  const dir = turboCacheDir()
  for (const { hash } of tests)
    for (const file of [`${hash}.tar.zst`, `${hash}-meta.json`, `${hash}-manifest.json`])
      rmSync(join(dir, file), { force: true })
  return plannedTests()?.every((task) => task.cache?.status !== 'HIT') ?? false
}

/** One run of the suite as `pnpm test` runs it, its tests never replayed from the cache. */
function runSuite() {
  const force = forgetTestResults() ? [] : ['--force']
  return new Promise((resolve) => {
    const summarize = turboArgs.some((arg) => arg.startsWith('--summarize')) ? [] : ['--summarize']
    suite = spawn('pnpm', ['test', ...force, ...summarize, ...turboArgs], { cwd: root, stdio: 'inherit' })
    suite.on('close', (code, signal) => {
      suite = undefined
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/** The newest run summary turbo wrote (.turbo/runs/<id>.json) since `since` (epoch ms), if any. */
function runSummary(since) {
  const dir = join(root, '.turbo', 'runs')
  let newest
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue
      const path = join(dir, name)
      const modified = statSync(path).mtimeMs
      if (modified >= since && (!newest || modified > newest.modified)) newest = { path, modified }
    }
    return newest && JSON.parse(readFileSync(newest.path, 'utf8'))
  } catch {
    return undefined
  }
}

/** Each package's tests in the order they started: when (from the run's start) and for how long. */
function printTimeline(summary) {
  const began = summary?.execution?.startTime
  if (!began) return
  const tests = summary.tasks
    .filter((task) => task.task === 'test' && task.execution?.startTime)
    .sort((a, b) => a.execution.startTime - b.execution.startTime)
  console.log('test:stress: tests by start (started after, took)')
  for (const { package: name, execution } of tests) {
    const startedAfter = formatSeconds(execution.startTime - began).padStart(6)
    const took = formatSeconds(execution.endTime - execution.startTime).padStart(6)
    console.log(`  ${startedAfter}  ${took}  ${name}${execution.exitCode ? '  FAILED' : ''}`)
  }
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g')

/**
 * The part of a failed test task's log that says what failed: vitest's failure sections (from the
 * first `FAIL`, `Failed Tests` or `Unhandled Error` line up to its closing summary), else the log's
 * tail; at most `limit` lines.
 */
function failureExcerpt(lines, limit = 80) {
  const first = lines.findIndex((line) => /(^|\s)FAIL\s|Failed Tests|Unhandled (Error|Rejection)/.test(line))
  if (first === -1) return lines.slice(-limit)
  const end = lines.findIndex((line, i) => i > first && /^\s*Test Files\s/.test(line))
  const section = lines.slice(first, end === -1 ? lines.length : end)
  return section.length > limit
    ? [...section.slice(0, limit), `… ${section.length - limit} more lines`]
    : section
}

/** A test task's log as lines without colours (turbo's copy of its output), if it can be read. */
function taskLog(task) {
  try {
    return readFileSync(join(root, task.logFile), 'utf8').replace(ansi, '').split('\n')
  } catch {
    return undefined
  }
}

/**
 * What a run's logs say about failures: each failed test task's failures, and the `[failed attempt]`
 * lines of every test task. Read right after the run: the next run rewrites turbo's logs.
 */
function failuresOf(summary) {
  const failures = []
  const attempts = []
  for (const task of summary?.tasks ?? []) {
    if (task.task !== 'test') continue
    const lines = taskLog(task)
    if (!lines) continue
    for (const line of lines)
      if (line.includes('[failed attempt]'))
        attempts.push(`${task.package}: ${line.slice(line.indexOf('[failed attempt]'))}`)
    if (task.execution?.exitCode)
      failures.push({
        heading: `${task.package} failed; from ${task.logFile}:`,
        lines: failureExcerpt(lines),
      })
  }
  return { failures, attempts }
}

const load = startLoad()
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    load.stop()
    // Turbo stops its tasks on SIGINT; wait for it, so nothing is left running.
    if (!suite) process.exit(130)
    suite.kill('SIGINT')
    suite.on('close', () => process.exit(130))
  })
}
process.on('exit', () => load.stop())

console.log(
  `test:stress: ${runs} run(s) of the whole suite beside ${load.description}, on ${availableParallelism()} CPU(s); ` +
    `load average before: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
)
const results = []
const started = performance.now()
for (let run = 1; run <= runs; run++) {
  console.log(`\ntest:stress: run ${run} of ${runs}`)
  const runStarted = performance.now()
  const since = Date.now()
  const code = await runSuite()
  const ms = performance.now() - runStarted
  const summary = runSummary(since)
  results.push({ run, ok: code === 0, ms, ...failuresOf(summary) })
  printTimeline(summary)
  console.log(`test:stress: run ${run} ${code === 0 ? 'passed' : 'FAILED'} in ${formatSeconds(ms)}`)
}
load.stop()

console.log('\ntest:stress summary')
for (const { run, ok, ms } of results)
  console.log(`  run ${run}: ${ok ? 'passed' : 'FAILED'}  ${formatSeconds(ms)}`)
const failed = results.filter((r) => !r.ok).length
console.log(
  `  ${runs - failed} of ${runs} passed; wall time ${formatSeconds(performance.now() - started)} ` +
    `(load average now: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')})`,
)
for (const { run, attempts } of results) {
  if (attempts.length === 0) continue
  console.log(`\ntest:stress: run ${run}: tests that failed an attempt (retried in CI):`)
  for (const line of attempts) console.log(`  ${line}`)
}
for (const { run, failures } of results)
  for (const { heading, lines } of failures) {
    console.log(`\ntest:stress: run ${run}: ${heading}`)
    for (const line of lines) console.log(`  ${line}`)
  }
process.exit(failed === 0 ? 0 : 1)
