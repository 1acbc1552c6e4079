import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import type { Sandbox, SandboxedCommand, SandboxRefusal } from '@penguin-ai/sandbox'
import { childEnvironment } from './child-env.js'
import { signalProcessGroup, trackProcessGroup } from './process-groups.js'

/**
 * Output kept per stream for UIs (head and tail); the model gets a much smaller part of it. Each
 * command's is streamed to every client and kept for replay, so this bounds a server's memory too.
 */
export const MAX_CAPTURE_BYTES = 256 * 1024
/** Time between SIGTERM and SIGKILL for a process group that was told to stop. */
export const KILL_GRACE_MS = 2000
/** How long to wait for output after the shell exits while a background process holds the pipes. */
const DRAIN_AFTER_EXIT_MS = 2000

let shell: string | undefined

/** bash when it is on PATH, else sh. */
export function findShell(): string {
  shell ??= onPath('bash') ? 'bash' : 'sh'
  return shell
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    try {
      accessSync(path.join(dir, command), constants.X_OK)
      return true
    } catch {}
  }
  return false
}

export interface RunOptions {
  command: string
  cwd: string
  timeoutMs: number
  signal: AbortSignal
  env?: NodeJS.ProcessEnv
  /** Output as it comes (for a live view); the outcome still holds all of it. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void
  /** Run inside this sandbox (see @penguin-ai/sandbox); without it, with the user's full rights. */
  sandbox?: Sandbox
}

export interface RunOutcome {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  aborted: boolean
  /** Set when the process could not be started. */
  startError?: string
  /** The shell exited but a background process kept the output open; its later output is lost. */
  detachedOutput: boolean
  durationMs: number
  /** Set when the command ran in the sandbox. */
  sandboxed: boolean
  /** What the sandbox refused the command, when its output shows it. */
  sandboxRefusal?: SandboxRefusal
}

/**
 * Runs `command` in a shell that leads its own process group, so a timeout or an abort can stop
 * the whole tree (a test runner's workers, a `sleep &`) rather than just the shell. An abort
 * settles at once: the tree gets SIGTERM, then SIGKILL after `KILL_GRACE_MS`, without the caller
 * waiting for a process that ignores SIGTERM. Every group is also killed when this process exits
 * (see `killProcessTrees`).
 *
 * With a sandbox, the shell runs inside it (bubblewrap leads the group). The sandbox has its own PID
 * namespace, so background processes end with the command that started them.
 */
export async function runProcess(options: RunOptions): Promise<RunOutcome> {
  const env = options.env ?? childEnvironment()
  const argv = [findShell(), '-c', options.command]
  if (!options.sandbox) return spawnTree(argv, options, env, false)
  let wrapped: SandboxedCommand
  try {
    wrapped = await options.sandbox.wrap(argv, { cwd: options.cwd, env, detached: true })
  } catch (error) {
    const started = Date.now()
    return {
      ...emptyOutcome(started),
      sandboxed: true,
      startError: error instanceof Error ? error.message : String(error),
    }
  }
  try {
    const run = await spawnTree([wrapped.command, ...wrapped.args], options, wrapped.env, true)
    const refusal = run.startError ? undefined : wrapped.refusal(run)
    return refusal ? { ...run, sandboxRefusal: refusal } : run
  } finally {
    await wrapped.release()
  }
}

function emptyOutcome(started: number): RunOutcome {
  return {
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    aborted: false,
    detachedOutput: false,
    durationMs: Date.now() - started,
    sandboxed: false,
  }
}

async function spawnTree(
  argv: string[],
  options: RunOptions,
  env: NodeJS.ProcessEnv,
  sandboxed: boolean,
): Promise<RunOutcome> {
  const started = Date.now()
  const stdout = new Capture(MAX_CAPTURE_BYTES)
  const stderr = new Capture(MAX_CAPTURE_BYTES)
  const outcome = (fields: Partial<RunOutcome>): RunOutcome => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    detachedOutput: false,
    sandboxed,
    ...fields,
    stdout: stdout.text(),
    stderr: stderr.text(),
    durationMs: Date.now() - started,
  })
  if (options.signal.aborted) return outcome({ aborted: true })
  // Loaded by the first command, not before a run's first model request.
  const { spawn } = await import('node:child_process')
  if (options.signal.aborted) return outcome({ aborted: true })

  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    if (child.pid !== undefined) trackProcessGroup(child.pid)
    let timedOut = false
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    let drainTimer: NodeJS.Timeout | undefined
    let done = false

    const stopTree = () => {
      if (child.pid === undefined) return
      const pid = child.pid
      signalProcessGroup(pid, 'SIGTERM')
      // Not cleared on exit: a grandchild that ignores SIGTERM must still go.
      setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref()
    }
    const onAbort = () => {
      stopTree()
      // Settle now: the run that aborted must not wait out a process that ignores SIGTERM.
      finish({ aborted: true })
    }
    const timer = setTimeout(() => {
      timedOut = true
      stopTree()
    }, options.timeoutMs)
    options.signal.addEventListener('abort', onAbort, { once: true })

    const finish = (fields: Partial<RunOutcome>) => {
      if (done) return
      done = true
      clearTimeout(timer)
      clearTimeout(drainTimer)
      options.signal.removeEventListener('abort', onAbort)
      child.stdout?.destroy()
      child.stderr?.destroy()
      resolve(outcome({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, ...fields }))
    }

    const live = options.onOutput
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.add(chunk)
      live?.(chunk.toString('utf8'), 'stdout')
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.add(chunk)
      live?.(chunk.toString('utf8'), 'stderr')
    })
    child.on('error', (error) => finish({ startError: error.message }))
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      drainTimer = setTimeout(() => finish({ detachedOutput: true }), DRAIN_AFTER_EXIT_MS)
    })
    child.on('close', () => finish({}))
  })
}

/** Keeps the first and last `limit / 2` bytes of a stream and counts what falls between. */
export class Capture {
  private readonly head: Buffer[] = []
  private headBytes = 0
  private tail: Buffer[] = []
  private tailBytes = 0
  private total = 0

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length
    const headRoom = Math.floor(this.limit / 2) - this.headBytes
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom)
      this.head.push(part)
      this.headBytes += part.length
      chunk = chunk.subarray(part.length)
    }
    if (chunk.length === 0) return
    this.tail.push(chunk)
    this.tailBytes += chunk.length
    const tailLimit = this.limit - Math.floor(this.limit / 2)
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= tailLimit)
      this.tailBytes -= this.tail.shift()!.length
    if (this.tailBytes > tailLimit) {
      const excess = this.tailBytes - tailLimit
      this.tail[0] = this.tail[0]!.subarray(excess)
      this.tailBytes -= excess
    }
  }

  text(): string {
    const omitted = this.total - this.headBytes - this.tailBytes
    // Decoded together when nothing was dropped, so a character split across chunks survives.
    if (omitted === 0) return Buffer.concat([...this.head, ...this.tail]).toString('utf8')
    const head = Buffer.concat(this.head).toString('utf8')
    const tail = Buffer.concat(this.tail).toString('utf8')
    return `${head}\n… [${omitted.toLocaleString('en-US')} bytes omitted] …\n${tail}`
  }
}
