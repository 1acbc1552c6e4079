// `pnpm bench:sandbox`: what the OS sandbox adds to each command the agent runs.
// Goal (sandbox issue): under 30 ms per sandboxed command over the same command unsandboxed.
//
// Each figure is the median wall time of `run_command` (the real tool, as the engine calls it) on a
// small git workspace: `true`, `git status` and `node -e 0`, without a sandbox, in workspace-write,
// and in read-only, interleaved so a busy machine slows all of them alike. `BENCH_RUNS` sets the
// samples per cell (default 41).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { checkSandbox, createSandbox } from '@penguin-ai/sandbox'
import { childEnvironment, openWorkspace, runCommandTool } from '@penguin-ai/tools'
import { median, printTable } from './measure.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 41)
const GOAL_MS = 30
const COMMANDS = ['true', 'git status --short', 'node -e 0']

const support = await checkSandbox()
if (!support.available) {
  console.error(`bench:sandbox: the sandbox cannot start here: ${support.cause}. ${support.fix}.`)
  process.exit(1)
}

// Under /var/tmp like a user's checkout (the sandbox replaces /tmp with its own).
const root = await realpath(await mkdtemp('/var/tmp/penguin-bench-sandbox-'))
try {
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=B', '-c', 'user.email=b@example.com', ...args], {
      cwd: root,
      stdio: 'ignore',
    })
  git('init', '-q')
  await writeFile(join(root, 'README.md'), '# bench\n')
  git('add', '.')
  git('commit', '-qm', 'first')

  const workspace = await openWorkspace(root)
  const env = childEnvironment()
  const sandboxes = {
    off: undefined,
    'workspace-write': createSandbox({ mode: 'workspace-write', roots: [root], network: false }),
    'read-only': createSandbox({ mode: 'read-only', roots: [root], network: false }),
  }
  const modes = Object.keys(sandboxes)

  async function once(command, sandbox) {
    const started = process.hrtime.bigint()
    const result = await runCommandTool.run(
      { command },
      {
        workspace,
        signal: new AbortController().signal,
        callId: 'bench',
        env,
        ...(sandbox ? { sandbox } : {}),
      },
    )
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    if (result.isError) throw new Error(`${command} failed: ${result.output}`)
    return ms
  }

  /** Penguin's own part of the overhead: planning the mounts and arguments (`Sandbox.wrap`). */
  async function planning(sandbox) {
    const started = process.hrtime.bigint()
    const wrapped = await sandbox.wrap(['true'], { cwd: root, env })
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    await wrapped.release()
    return ms
  }

  /**
   * bubblewrap's own floor: the plainest sandbox (namespaces, read-only /) around `true`. Not the
   * sandbox package's probe (probe.ts), whose trial starts the namespaces Penguin uses: this one is
   * the baseline Penguin's overhead is measured against.
   */
  function bareBwrap() {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint()
      const child = spawn(
        support.bwrap,
        [
          '--ro-bind',
          '/',
          '/',
          '--dev',
          '/dev',
          '--proc',
          '/proc',
          '--unshare-all',
          '--die-with-parent',
          '--',
          'true',
        ],
        { stdio: 'ignore' },
      )
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0
          ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
          : reject(new Error(`bwrap exited ${code}`)),
      )
    })
  }

  const samples = Object.fromEntries(COMMANDS.map((c) => [c, Object.fromEntries(modes.map((m) => [m, []]))]))
  const parts = { plan: [], bwrap: [], spawn: [] }
  // Warm up each cell once (the first sandboxed command also makes the sandbox's private /tmp).
  for (const command of COMMANDS) for (const mode of modes) await once(command, sandboxes[mode])
  for (let run = 0; run < RUNS; run++) {
    for (const command of COMMANDS) {
      for (const mode of modes) samples[command][mode].push(await once(command, sandboxes[mode]))
    }
    parts.plan.push(await planning(sandboxes['workspace-write']))
    parts.bwrap.push(await bareBwrap())
    parts.spawn.push(
      await new Promise((resolve, reject) => {
        const started = process.hrtime.bigint()
        const child = spawn('true', [], { stdio: 'ignore' })
        child.on('error', reject)
        child.on('close', () => resolve(Number(process.hrtime.bigint() - started) / 1e6))
      }),
    )
  }

  const rows = [['command', 'unsandboxed', 'workspace-write', 'overhead', 'read-only', 'overhead']]
  let worst = 0
  for (const command of COMMANDS) {
    const base = median(samples[command].off)
    const write = median(samples[command]['workspace-write'])
    const read = median(samples[command]['read-only'])
    worst = Math.max(worst, write - base, read - base)
    const ms = (value) => `${value.toFixed(1)} ms`
    rows.push([command, ms(base), ms(write), ms(write - base), ms(read), ms(read - base)])
  }
  printTable(
    `run_command with and without the sandbox (bubblewrap ${support.version}; median of ${RUNS} runs each)`,
    rows,
  )
  const plan = median(parts.plan)
  const floor = median(parts.bwrap) - median(parts.spawn)
  printTable('Where the overhead goes (median)', [
    ['part', 'ms'],
    ['Penguin: planning mounts and arguments (Sandbox.wrap, workspace-write)', plan.toFixed(1)],
    ['bubblewrap itself: `bwrap --unshare-all … true` over spawning `true`', floor.toFixed(1)],
  ])
  console.log(
    `\nsandbox overhead per command: ${worst.toFixed(1)} ms at most (goal < ${GOAL_MS} ms): ${worst < GOAL_MS ? 'met' : 'NOT met'} (load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')})`,
  )
  await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox?.close()))
} finally {
  await rm(root, { recursive: true, force: true })
}
