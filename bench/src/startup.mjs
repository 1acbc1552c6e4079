// `pnpm bench:startup`: CLI startup against bare Node, time to the first model request of
// `penguin run`, and peak RSS of a whole scripted `penguin run`.
// Targets: at most 60 ms over bare Node for --version (issue 2); the first model request within bare
// Node + 250 ms (issue 11); under 100 MB peak RSS (issue 2); --version and run --json load none of
// the terminal UI (issue 13).
import { execFileSync, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { median, printTable, timeProcess } from './measure.mjs'
import { processCpu } from './proc-cpu.mjs'

// BENCH_PENGUIN: another build's bin/penguin.js (to compare builds in one session).
const PENGUIN =
  process.env.BENCH_PENGUIN ?? fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const RUNS = Number(process.env.BENCH_RUNS ?? 21)

export async function startupFigures() {
  const cases = {
    'node -e 0': ['-e', '0'],
    'penguin --version': [PENGUIN, '--version'],
    'penguin --help': [PENGUIN, '--help'],
  }
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  // Warm the file cache, then interleave the cases so drift affects them alike.
  for (const args of Object.values(cases)) await timeProcess(process.execPath, args)
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(cases))
      samples[name].push((await timeProcess(process.execPath, args)).ms)
  }
  const bare = median(samples['node -e 0'])
  return Object.entries(samples).map(([name, values]) => ({
    name,
    median: median(values),
    overBare: median(values) - bare,
  }))
}

/** The models whose first request is timed: the two native wires, each at its own endpoint. */
const FIRST_REQUEST_CASES = [
  {
    name: 'penguin run → first request (anthropic/claude-sonnet-4-5)',
    args: () => ['--model', 'anthropic/claude-sonnet-4-5'],
    env: (server) => ({ ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: server.root }),
  },
  {
    name: 'penguin run → first request (openai/gpt-5, Responses)',
    args: (server) => ['--model', 'openai/gpt-5', '--api', 'responses', '--base-url', server.url],
    env: () => ({ OPENAI_API_KEY: 'bench' }),
  },
]

/**
 * From spawning `penguin run "…"` in a git repository to the mock server receiving its first model
 * request (median over RUNS), against bare `node -e 0` measured alongside. The runs share one
 * database, made by a warm-up run (as on any day but the first); each process is left to finish its
 * short answer. Beside the wall time, a figure other processes on the machine move far less: the CPU
 * time the `penguin` process had used (all its threads, /proc/<pid>/stat, 10 ms ticks) when the
 * request arrived — undefined without /proc.
 */
export async function firstRequestFigures(runs = RUNS) {
  const base = await mkdtemp(join(tmpdir(), 'penguin-bench-first-'))
  const dir = join(base, 'workspace')
  await mkdir(dir)
  await writeFile(join(dir, 'README.md'), '# app\n')
  execFileSync('git', ['init', '-q'], { cwd: dir })
  const server = await startMockServer({ script: () => ({ text: 'Hi.' }) })
  try {
    const once = async (spec) => {
      const seen = server.requests.length
      const started = process.hrtime.bigint()
      const arrived = server.waitForRequests(seen + 1).then(() => process.hrtime.bigint())
      const child = spawn(process.execPath, [PENGUIN, 'run', ...spec.args(server), 'hi'], {
        cwd: dir,
        stdio: 'ignore',
        env: {
          ...process.env,
          ...spec.env(server),
          NO_COLOR: '1',
          PENGUIN_HOME: join(base, 'home'),
          PENGUIN_DB: join(base, 'penguin.db'),
        },
      })
      const exited = new Promise((resolve, reject) => {
        child.on('error', reject)
        child.on('close', resolve)
      })
      const ms = Number((await arrived) - started) / 1e6
      const cpu = processCpu(child.pid)?.own
      await exited
      return { ms, cpu }
    }
    const bareSamples = []
    const samples = Object.fromEntries(FIRST_REQUEST_CASES.map((c) => [c.name, []]))
    for (const spec of FIRST_REQUEST_CASES) await once(spec)
    for (let i = 0; i < runs; i++) {
      bareSamples.push((await timeProcess(process.execPath, ['-e', '0'])).ms)
      for (const spec of FIRST_REQUEST_CASES) samples[spec.name].push(await once(spec))
    }
    const bare = median(bareSamples)
    return FIRST_REQUEST_CASES.map((spec) => {
      const cpu = samples[spec.name].map((sample) => sample.cpu)
      const wall = median(samples[spec.name].map((sample) => sample.ms))
      return {
        name: spec.name,
        median: wall,
        overBare: wall - bare,
        cpuMs: cpu.includes(undefined) ? undefined : median(cpu),
      }
    })
  } finally {
    await server.close()
    await rm(base, { recursive: true, force: true })
  }
}

/** The model of the measured run: an OpenAI-family model, whose token counter has a real tokenizer. */
export const RSS_MODEL = 'openai/gpt-4o'

/**
 * Peak RSS and wall time of a whole `penguin run` (the session saved to a temp database, with
 * checkpoints) on a scripted 4-turn task against the mock server.
 */
export async function runRssFigure() {
  const base = await mkdtemp(join(tmpdir(), 'penguin-bench-'))
  // The workspace, and beside it (not inside: checkpoints snapshot the workspace) Penguin's home.
  const dir = join(base, 'workspace')
  await mkdir(dir)
  await writeFile(join(dir, 'notes.txt'), 'hello\n'.repeat(200))
  const server = await startMockServer({
    script: [
      { text: 'Reading.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'wc -l notes.txt' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'out.txt', content: 'done\n' } }] },
      { text: 'All done.' },
    ],
  })
  try {
    const preload = fileURLToPath(new URL('./report-rss.mjs', import.meta.url))
    const { ms, stderr } = await timeProcess(
      process.execPath,
      ['--import', preload, PENGUIN, 'run', '--yes', '--model', RSS_MODEL, '--base-url', server.url, 'go'],
      {
        cwd: dir,
        // The session goes to a temp database, never the user's.
        env: {
          ...process.env,
          OPENAI_API_KEY: 'bench',
          NO_COLOR: '1',
          PENGUIN_HOME: join(base, 'home'),
          PENGUIN_DB: join(base, 'home', 'penguin.db'),
        },
      },
    )
    const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1])
    return { peakRssMb: kb / 1024, wallMs: ms, model: RSS_MODEL }
  } finally {
    await server.close()
    await rm(base, { recursive: true, force: true })
  }
}

/** A marker only the terminal UI's renderer holds (its synchronized-output escape), as bundled. */
const TUI_MARKER = '[?2026h'
/** A string only the ACP SDK (`penguin acp`) holds, as bundled: the permission request's method. */
const ACP_MARKER = 'session/request_permission'
/** A string only Octokit (`penguin github`) holds, as bundled: its user agent. */
const OCTOKIT_MARKER = 'octokit-core.js'

/**
 * Whether a command loads any of the terminal UI (issue 13: `--version` and `run --json` must not)
 * or of the ACP agent or Octokit (issue 19, same rule):
 * the command runs with a module probe preloaded, and every bundled chunk it loaded is checked for
 * the UI's code.
 */
export async function tuiLoadFigures() {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-tui-'))
  const server = await startMockServer({
    script: [{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo hi' } }] }, { text: 'Done.' }],
  })
  const probe = fileURLToPath(new URL('./load-probe.mjs', import.meta.url))
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'bench',
    PENGUIN_HOME: join(dir, 'home'),
    PENGUIN_DB: join(dir, 'home', 'penguin.db'),
  }
  await mkdir(join(dir, 'home'))
  const cases = {
    'penguin --version': [PENGUIN, '--version'],
    'penguin run --json': [
      PENGUIN,
      'run',
      '--json',
      '--yes',
      '--model',
      RSS_MODEL,
      '--base-url',
      server.url,
      'go',
    ],
  }
  const rows = []
  try {
    for (const [name, args] of Object.entries(cases)) {
      const { stderr } = await timeProcess(process.execPath, ['--import', probe, ...args], { cwd: dir, env })
      const urls = JSON.parse(/LOADED_MODULES=(.*)/.exec(stderr)?.[1] ?? '[]')
      const chunks = urls.filter((url) => url.startsWith('file:') && url.includes('/apps/cli/dist/'))
      let tui = 0
      let acp = 0
      let octokit = 0
      for (const url of chunks) {
        const code = await readFile(fileURLToPath(url), 'utf8')
        if (code.includes(TUI_MARKER)) tui++
        if (code.includes(ACP_MARKER)) acp++
        if (code.includes(OCTOKIT_MARKER)) octokit++
      }
      rows.push({ name, modules: chunks.length, tui, acp, octokit })
    }
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}

async function main() {
  const startup = await startupFigures()
  printTable(`CLI startup (median of ${RUNS} runs; target: ≤ 60 ms over bare Node)`, [
    ['command', 'median ms', 'over bare node ms'],
    ...startup.map((row) => [row.name, row.median.toFixed(1), row.overBare.toFixed(1)]),
  ])
  const load = loadavg()[0]
  const first = await firstRequestFigures()
  printTable(
    `Time to first request (median of ${RUNS} runs; target: ≤ 250 ms over bare Node; load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)})`,
    [
      ['command', 'median ms', 'over bare node ms', 'CPU ms to the request'],
      ...first.map((row) => [
        row.name,
        row.median.toFixed(1),
        row.overBare.toFixed(1),
        row.cpuMs === undefined ? 'n/a' : row.cpuMs.toFixed(0),
      ]),
    ],
  )
  const tui = await tuiLoadFigures()
  printTable('Terminal UI, ACP or Octokit loaded? (target: no, for all)', [
    ['command', 'CLI chunks loaded', 'terminal UI loaded', 'ACP loaded', 'Octokit loaded'],
    ...tui.map((row) => [
      row.name,
      String(row.modules),
      row.tui ? `YES (${row.tui} chunks)` : 'no',
      row.acp ? `YES (${row.acp} chunks)` : 'no',
      row.octokit ? `YES (${row.octokit} chunks)` : 'no',
    ]),
  ])
  if (tui.some((row) => row.tui || row.acp || row.octokit)) process.exitCode = 1
  const rss = await runRssFigure()
  printTable(`Whole \`penguin run --model ${rss.model}\` on a scripted 4-turn task (target: < 100 MB)`, [
    ['peak RSS MB', 'wall ms'],
    [rss.peakRssMb.toFixed(1), rss.wallMs.toFixed(0)],
  ])
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
