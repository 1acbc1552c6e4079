// `pnpm bench:parallel`: a project of 8 independent tasks run through the real CLI against the mock
// model with 300 ms latency per turn, with `--parallel 1` and `--parallel 4`.
// Target (multi-agent issue): `--parallel 4` finishes at least 3× faster than `--parallel 1`, every
// task done (each in its own git worktree, verified, merged back). The speed-up is that of the project
// run itself (its duration as the CLI reports it); the whole command's, start-up included, is shown too.
//
// `parallelFigures()` returns the figures; run this file to print them (exit 1 when a run fails).
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { printTable } from './measure.mjs'
import { processCpu } from './proc-cpu.mjs'

// BENCH_PENGUIN: another build's bin/penguin.js (to compare builds in one session).
const PENGUIN =
  process.env.BENCH_PENGUIN ?? fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const COUNT_SPAWNS = fileURLToPath(new URL('./count-spawns.cjs', import.meta.url))
const TASKS = 8
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300)
export const TARGET_SPEEDUP = 3

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      if (options.onLine) {
        const at = performance.now()
        const lines = (stdout.slice(stdout.lastIndexOf('\n') + 1) + chunk).split('\n')
        lines.pop()
        for (const line of lines) options.onLine(line, at)
      }
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Each task "Write fN.txt" is two turns: a write_file call, then a summary. */
const requests = []
function worker(request) {
  const at = performance.now()
  const messages = request.body?.messages ?? []
  const user = messages.find((message) => message.role === 'user')
  const text = typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '')
  const file = /# Task: Write (\S+)/.exec(text)?.[1] ?? 'unknown.txt'
  const usage = { prompt_tokens: 300, completion_tokens: 20 }
  requests.push({ at, file, turn: messages.at(-1)?.role === 'tool' ? 2 : 1 })
  if (messages.at(-1)?.role === 'tool') return { text: `Wrote ${file}.`, usage, delayMs: LATENCY_MS }
  return {
    toolCalls: [{ name: 'write_file', arguments: { path: file, content: `${file}\n` } }],
    usage,
    delayMs: LATENCY_MS,
  }
}

async function git(cwd, ...args) {
  const result = await run('git', args, { cwd })
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
}

/** A fresh repository and database with the 8-task project; returns the penguin runner. */
async function prepare(server) {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-parallel-'))
  const repo = join(dir, 'repo')
  const home = join(dir, 'home')
  await run('mkdir', ['-p', repo, home], {})
  await writeFile(join(repo, 'README.md'), '# bench\n')
  await git(repo, 'init', '-q', '-b', 'main')
  await git(
    repo,
    '-c',
    'user.name=Bench',
    '-c',
    'user.email=bench@localhost',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'init',
  )
  await git(repo, 'add', '-A')
  await git(repo, '-c', 'user.name=Bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'readme')
  const env = {
    ...process.env,
    HOME: home,
    PENGUIN_HOME: join(home, 'data'),
    PENGUIN_DB: join(dir, 'penguin.db'),
    OPENAI_API_KEY: 'sk-bench',
    PENGUIN_SANDBOX: 'off',
    NO_COLOR: '1',
    ...(process.env.BENCH_NO_CHECKPOINTS ? { XDG_CONFIG_HOME: process.env.BENCH_NO_CHECKPOINTS } : {}),
  }
  // `onLine` is the bench's own callback, not an environment variable of penguin's.
  const runPenguin = ({ onLine, ...extra }, ...args) =>
    run(process.execPath, [PENGUIN, ...args], { cwd: repo, env: { ...env, ...extra }, onLine })
  const penguin = (...args) => runPenguin({}, ...args)
  const must = async (...args) => {
    const result = await penguin(...args)
    if (result.code !== 0)
      throw new Error(`penguin ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
    return result
  }
  await must('project', 'create', 'bench', '--workspace', repo)
  for (let i = 1; i <= TASKS; i++)
    await must('task', 'add', 'bench', `Write f${i}.txt`, '--verify', `test -f f${i}.txt`)
  return {
    dir,
    async runProject(parallel) {
      const spawnsFile = join(dir, `spawns-${parallel}`)
      const before = processCpu(process.pid)
      const started = performance.now()
      const lines = []
      requests.length = 0
      const result = await runPenguin(
        {
          onLine: (line, at) => lines.push({ line, at: at - started }),
          PENGUIN_BENCH_SPAWNS_FILE: spawnsFile,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${COUNT_SPAWNS}`.trim(),
        },
        'project',
        'run',
        'bench',
        '--parallel',
        String(parallel),
        '--yes',
        '--json',
        '--model',
        'openai/gpt-4o',
        '--base-url',
        server.url,
      )
      const wall = (performance.now() - started) / 1000
      // CPU of the command and every process it waited for (git, verify commands): reaped children
      // are added to this process's own /proc figures. Steadier than wall time on a busy machine.
      const after = processCpu(process.pid)
      const cpuMs = before && after ? after.children - before.children : Number.NaN
      // Started from the main thread and from the threads (bench/src/count-spawns.cjs).
      const counts = await readdir(dir).then((names) =>
        names.filter(
          (name) => name === basename(spawnsFile) || name.startsWith(`${basename(spawnsFile)}.thread-`),
        ),
      )
      let spawns = 0
      for (const name of counts) spawns += Number(await readFile(join(dir, name), 'utf8'))
      const finished = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((event) => event.type === 'project.finished')
      const list = await must('task', 'list', 'bench', '--json')
      const done = JSON.parse(list.stdout).filter((task) => task.status === 'done').length
      // The run's own duration (the CLI's project.finished), without the process start-up both pay.
      const seconds = finished ? finished.durationMs / 1000 : wall
      if (process.env.BENCH_PARALLEL_TIMELINE)
        timeline(
          parallel,
          lines,
          requests.map((r) => ({ ...r, at: r.at - started })),
        )
      return { seconds, wall, cpuMs, spawns, done, code: result.code, output: result.stdout + result.stderr }
    },
  }
}

function timeline(parallel, lines, reqs) {
  const out = [`--parallel ${parallel} timeline (ms from spawn)`]
  const tasks = new Map()
  for (const { line, at } of lines) {
    if (!line.startsWith('{')) continue
    const event = JSON.parse(line)
    if (!event.task) {
      out.push(
        `${at.toFixed(0).padStart(6)} ${event.type}${event.durationMs ? ` durationMs=${event.durationMs}` : ''}`,
      )
      continue
    }
    const file = /Write (\S+)/.exec(event.task.title)?.[1]
    const row = tasks.get(file) ?? []
    row.push(`${event.type.replace('task.', '')}@${at.toFixed(0)}`)
    tasks.set(file, row)
  }
  for (const r of reqs) {
    const row = tasks.get(r.file) ?? []
    row.push(`req${r.turn}@${r.at.toFixed(0)}`)
    tasks.set(r.file, row)
  }
  for (const [file, row] of tasks) {
    row.sort((a, b) => Number(a.split('@')[1]) - Number(b.split('@')[1]))
    out.push(`${file}: ${row.join(' ')}`)
  }
  process.stderr.write(`${out.join('\n')}\n`)
}

export async function parallelFigures() {
  const server = await startMockServer({ script: worker })
  const dirs = []
  try {
    const runs = {}
    for (const parallel of [1, 4]) {
      const bench = await prepare(server)
      dirs.push(bench.dir)
      runs[parallel] = await bench.runProject(parallel)
      if (runs[parallel].code !== 0)
        throw new Error(`--parallel ${parallel} exited ${runs[parallel].code}:\n${runs[parallel].output}`)
    }
    const speedup = runs[1].seconds / runs[4].seconds
    return {
      tasks: TASKS,
      latencyMs: LATENCY_MS,
      sequentialSeconds: runs[1].seconds,
      parallelSeconds: runs[4].seconds,
      sequentialWall: runs[1].wall,
      parallelWall: runs[4].wall,
      wallSpeedup: runs[1].wall / runs[4].wall,
      sequentialCpuMsPerTask: runs[1].cpuMs / TASKS,
      parallelCpuMsPerTask: runs[4].cpuMs / TASKS,
      sequentialSpawnsPerTask: runs[1].spawns / TASKS,
      parallelSpawnsPerTask: runs[4].spawns / TASKS,
      speedup,
      doneSequential: runs[1].done,
      doneParallel: runs[4].done,
      met: speedup >= TARGET_SPEEDUP && runs[1].done === TASKS && runs[4].done === TASKS,
    }
  } finally {
    await server.close()
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await parallelFigures()
  printTable(
    `${figures.tasks} independent tasks, mock model with ${figures.latencyMs} ms per turn, each task in its own git worktree`,
    [
      ['run', 'project run', 'whole command', 'CPU per task', 'processes per task', 'tasks'],
      [
        '--parallel 1',
        `${figures.sequentialSeconds.toFixed(2)} s`,
        `${figures.sequentialWall.toFixed(2)} s`,
        `${figures.sequentialCpuMsPerTask.toFixed(0)} ms`,
        figures.sequentialSpawnsPerTask.toFixed(2),
        `${figures.doneSequential}/${figures.tasks} done`,
      ],
      [
        '--parallel 4',
        `${figures.parallelSeconds.toFixed(2)} s`,
        `${figures.parallelWall.toFixed(2)} s`,
        `${figures.parallelCpuMsPerTask.toFixed(0)} ms`,
        figures.parallelSpawnsPerTask.toFixed(2),
        `${figures.doneParallel}/${figures.tasks} done`,
      ],
      [
        'speed-up',
        `${figures.speedup.toFixed(2)}×`,
        `${figures.wallSpeedup.toFixed(2)}×`,
        '',
        '',
        `target ≥ ${TARGET_SPEEDUP}× on the project run ${figures.met ? '(met)' : '(NOT met)'}`,
      ],
    ],
  )
  if (!figures.met) process.exitCode = 1
}
