#!/usr/bin/env node
// `pnpm test:stress [--runs N]`: the whole test suite N times in a row (default 3) while two
// CPU-bound processes run beside it — `stress-ng --cpu 2` when it is installed (Debian package
// `stress-ng`), else two Node busy loops. A suite that waits for events instead of the clock passes
// on a machine this busy; one that sleeps or measures time does not, and this is where it shows.
// Every run really runs (turbo --force) and reports all failures (--continue). Prints each run's
// wall time; exits 1 if any run failed.
//
// The packages are built once, before the load starts (turbo's cache: only what changed), and the
// runs execute the test tasks alone (--only). A run is two turbo processes side by side: the CLI's
// tests (by far the longest: every case starts the real binary) in a lane of their own, and every
// other package's, two at a time as `pnpm test` runs them. Turbo has no task priority and starts the
// CLI's tests last, so in one queue the run ended with them alone for ~12 minutes; side by side the
// suite's wall time is about the CLI's. Given turbo arguments (e.g. --filter=...), a run is one turbo process with them.
import { spawn, spawnSync } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
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

/** The package whose tests run in a lane of their own (see the header). */
const LONGEST = 'penguin-ai'

/** Running turbo processes, so a signal stops them all. */
const suites = new Set()

function turbo(args) {
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['exec', 'turbo', 'run', ...args], { cwd: root, stdio: 'inherit' })
    suites.add(child)
    child.on('close', (code, signal) => {
      suites.delete(child)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/** One forced run of every test task; resolves to 0 when all passed. */
async function runSuite() {
  const forced = ['test', '--only', '--force', '--continue']
  if (turboArgs.length > 0) return turbo([...forced, '--concurrency=2', ...turboArgs])
  const codes = await Promise.all([
    turbo([...forced, '--concurrency=1', `--filter=${LONGEST}`]),
    turbo([...forced, '--concurrency=2', `--filter=!${LONGEST}`]),
  ])
  return codes.find((code) => code !== 0) ?? 0
}

// Builds are not what is under test: bring them up to date (cached) before the load starts.
const built = await turbo(['build', ...(turboArgs.length > 0 ? turboArgs : [])])
if (built !== 0) {
  console.error('test:stress: the build failed; nothing was tested')
  process.exit(1)
}

const load = startLoad()
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    load.stop()
    // Turbo stops its tasks on SIGINT; wait for every turbo, so nothing is left running.
    if (suites.size === 0) process.exit(130)
    const closing = [...suites].map((child) => new Promise((resolve) => child.on('close', resolve)))
    for (const child of suites) child.kill('SIGINT')
    Promise.all(closing).then(() => process.exit(130))
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
  const code = await runSuite()
  const ms = performance.now() - runStarted
  results.push({ run, ok: code === 0, ms })
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
process.exit(failed === 0 ? 0 : 1)
