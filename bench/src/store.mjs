// `pnpm bench:store`: the task store on a 10,000-task / 20,000-edge graph in a temp database file.
// Targets (store issue): nextReadyTask under 5 ms on that graph; the whole `penguin task list --json`
// process under 300 ms on it.
//
// Hook for whole-process timings: `buildGraphDatabase()` returns the path of a database file holding
// the benchmark graph; run a command against it with `PENGUIN_DB=<path>` and add its figures to
// `SECTIONS` at the bottom of this file.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '@penguin-ai/store'
import { median, printTable } from './measure.mjs'

const PENGUIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const PROCESS_RUNS = Number(process.env.BENCH_RUNS ?? 11)

export const TASKS = 10_000
export const EDGES = 20_000
const SAMPLES = Number(process.env.BENCH_RUNS ?? 201)

/** A deterministic plan: each task depends on two (a few on three) of the 200 tasks before it. */
export function benchmarkPlan(tasks = TASKS, edges = EDGES) {
  let seed = 42
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return seed / 2 ** 31
  }
  const plan = []
  let remaining = edges
  for (let i = 0; i < tasks; i++) {
    const want = Math.min(i, Math.ceil(remaining / (tasks - i)), 3)
    const depends = new Set()
    while (depends.size < want)
      depends.add(`t${Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 200)))}`)
    remaining -= depends.size
    plan.push({
      key: `t${i}`,
      title: `task ${i}`,
      priority: Math.floor(random() * 4),
      depends_on: [...depends],
    })
  }
  return plan
}

function time(fn) {
  const started = process.hrtime.bigint()
  const result = fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result }
}

function sample(fn, count = SAMPLES) {
  fn()
  const values = []
  for (let i = 0; i < count; i++) values.push(time(fn).ms)
  return median(values)
}

/** Creates a temp database holding the benchmark graph; returns where it is and how long it took. */
export async function buildGraphDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-store-'))
  const path = join(dir, 'penguin.db')
  const store = openStore({ path })
  const project = store.createProject({ name: 'bench' })
  const plan = benchmarkPlan()
  const insert = time(() => store.createPlan(project.id, plan))
  const edges = insert.result.reduce((sum, task) => sum + task.dependsOn.length, 0)
  store.close()
  return { dir, path, projectId: project.id, tasks: insert.result.length, edges, insertMs: insert.ms }
}

export async function storeFigures() {
  const built = await buildGraphDatabase()
  const store = openStore({ path: built.path })
  try {
    const rows = [
      [`createPlan: ${built.tasks} tasks, ${built.edges} edges (one transaction)`, built.insertMs],
    ]
    rows.push([
      'nextReadyTask, nothing done yet (median)',
      sample(() => store.nextReadyTask(built.projectId)),
    ])
    rows.push(['readyTasks, nothing done yet (median)', sample(() => store.readyTasks(built.projectId), 51)])
    // Work through half the graph the way an agent loop does: next ready → in_progress → done.
    const half = time(() => {
      for (let i = 0; i < built.tasks / 2; i++) {
        const next = store.nextReadyTask(built.projectId)
        if (!next) break
        store.transitionTask(next.id, 'in_progress')
        store.transitionTask(next.id, 'done')
      }
    })
    rows.push([
      `agent loop: next + start + done, per task (${built.tasks / 2} tasks)`,
      half.ms / (built.tasks / 2),
    ])
    rows.push(['nextReadyTask, half done (median)', sample(() => store.nextReadyTask(built.projectId))])
    rows.push(['readyTasks, half done (median)', sample(() => store.readyTasks(built.projectId), 51)])
    rows.push(['listTasks, all (median)', sample(() => store.listTasks(built.projectId), 11)])
    rows.push([
      'openStore + close on the file (median)',
      sample(() => openStore({ path: built.path }).close(), 51),
    ])
    return rows
  } finally {
    store.close()
    await rm(built.dir, { recursive: true, force: true })
  }
}

/**
 * One whole CLI process, from spawn to exit, with stdout read to the end through a pipe (as a
 * consumer such as `jq` would): its wall time and how many bytes it printed.
 */
function runCli(args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [PENGUIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`penguin ${args.join(' ')} exited ${code}: ${stderr.trim()}`))
      else resolve({ ms, bytes })
    })
  })
}

/**
 * `penguin task list <project> --json` on the benchmark graph, the built CLI as a user runs it:
 * median wall time over `runs` processes (after one warm-up) and the size of its output.
 */
export async function taskListFigure(runs = PROCESS_RUNS) {
  const built = await buildGraphDatabase()
  try {
    const args = ['task', 'list', 'bench', '--json']
    const env = { PENGUIN_DB: built.path }
    const warm = await runCli(args, env)
    const times = []
    for (let i = 0; i < runs; i++) times.push((await runCli(args, env)).ms)
    return { medianMs: median(times), bytes: warm.bytes, runs, tasks: built.tasks, edges: built.edges }
  } finally {
    await rm(built.dir, { recursive: true, force: true })
  }
}

async function storeSection() {
  const rows = await storeFigures()
  printTable('Task store, in-process (target: nextReadyTask < 5 ms)', [
    ['operation', 'ms'],
    ...rows.map(([name, ms]) => [name, ms.toFixed(ms < 10 ? 3 : 1)]),
  ])
}

async function taskListSection() {
  const figure = await taskListFigure()
  printTable(`Whole \`penguin task list --json\` process (median of ${figure.runs}; target: < 300 ms)`, [
    ['graph', 'median ms', 'output'],
    [
      `${figure.tasks} tasks, ${figure.edges} edges`,
      figure.medianMs.toFixed(1),
      `${(figure.bytes / 1024 / 1024).toFixed(1)} MB`,
    ],
  ])
}

export const SECTIONS = [storeSection, taskListSection]

async function main() {
  for (const section of SECTIONS) await section()
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
