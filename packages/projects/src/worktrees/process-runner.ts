/**
 * Starts the git processes and verify commands of a parallel run from a small thread of its own, off
 * the main thread.
 *
 * Node starts a child with fork + exec and blocks the calling thread until the child has exec'd:
 * the fork copies the process's memory map, then the child must get a CPU to run exec. For a
 * process Penguin's size that is several milliseconds, and tens of them on a busy machine — time
 * in which every other task's agent, store write and event waited on the main thread. From this
 * thread, only this thread waits. Should the thread fail, commands start from the main thread.
 * Commands go on from there to the thread's shells (shell-pool.ts), which start them without forking
 * Penguin's process at all — verify commands too, in a session and process group of their own.
 */
import { spawn } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { SHELL_POOL_SOURCE } from './shell-pool.js'

export interface ProcessResult {
  code: number
  stdout: string
  stderr: string
}

export interface ProcessRequest {
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutMs: number
  /**
   * The command leads its own process group (a verify command): the timeout and `kill` stop the whole
   * group, and stdout and stderr come back together as `stdout`, only its first and last `keepBytes`
   * kept (the middle of a long output is dropped while it runs).
   */
  group?: { keepBytes: number }
}

export interface GroupResult extends ProcessResult {
  /** The exit code, null when a signal ended the command. */
  exitCode: number | null
  timedOut: boolean
}

export interface RunningProcess {
  /** Set once the command has started: its pid (the process group's id, for `group` commands). */
  pid: Promise<number | undefined>
  result: Promise<GroupResult>
  /** SIGKILLs the command (its whole group for `group` commands). */
  kill(): void
}

/** Runs one command to its end: exit code (1 when killed) and its output as text. */
export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  return startProcess(request).result
}

/** Starts one command and hands back its pid, its result and a way to stop it. */
export function startProcess(request: ProcessRequest): RunningProcess {
  const thread = runnerThread()
  return thread ? thread.start(request) : runHere(request)
}

/** The same as the thread does, on this thread (the fallback). */
function runHere({ command, args, cwd, env, timeoutMs, group }: ProcessRequest): RunningProcess {
  let kill: () => void = () => undefined
  let started: (pid: number | undefined) => void = () => undefined
  const pid = new Promise<number | undefined>((resolve) => {
    started = resolve
  })
  const result = new Promise<GroupResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: Boolean(group),
    })
    started(child.pid)
    let timedOut = false
    kill = () => {
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const output = collector(group?.keepBytes)
    child.stdout.on('data', output.out)
    child.stderr.on('data', output.err)
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      started(undefined)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, exitCode: code, timedOut, ...output.text() })
    })
  })
  return { pid, result, kill: () => kill() }
}

/** Output as text; with `keepBytes`, both streams together, only their head and tail kept. */
function collector(keepBytes: number | undefined) {
  if (keepBytes === undefined) {
    let stdout = ''
    let stderr = ''
    return {
      out: (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
      },
      err: (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
      },
      text: () => ({ stdout, stderr }),
    }
  }
  const head: Buffer[] = []
  let tail: Buffer[] = []
  let headSize = 0
  let tailSize = 0
  const collect = (chunk: Buffer) => {
    if (headSize < keepBytes) {
      head.push(chunk)
      headSize += chunk.length
      return
    }
    tail.push(chunk)
    tailSize += chunk.length
    while (tailSize > keepBytes && tail.length > 1) {
      tailSize -= tail[0]?.length ?? 0
      tail = tail.slice(1)
    }
  }
  return {
    out: collect,
    err: collect,
    text: () => ({ stdout: Buffer.concat([...head, ...tail]).toString('utf8'), stderr: '' }),
  }
}

/**
 * The thread's program (CommonJS, evaluated: nothing to bundle or resolve): commands go to its shells
 * (shell-pool.ts) when they can, else `runHere` in plain JavaScript. Messages in are
 * `{id, command, args, cwd, env, timeoutMs, group}`, `{kill: id}` or `{close: id}`; out `{id, pid}`
 * once started, then `{id, code, exitCode, timedOut, stdout, stderr}` or `{id, error}`, and
 * `{id, closed: true}` once the shells have exited.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { spawn } = require('node:child_process')
${SHELL_POOL_SOURCE}
const running = new Map()
parentPort.on('message', (message) => {
  if (message.warm !== undefined) {
    warmShells(message.warm, message.env)
    return
  }
  if (message.close !== undefined) {
    closeShells().then(
      () => parentPort.postMessage({ id: message.close, closed: true }),
      () => parentPort.postMessage({ id: message.close, closed: true }),
    )
    return
  }
  if (message.kill !== undefined) {
    if (killShellJob(message.kill)) return
    const stop = running.get(message.kill)
    if (stop) stop()
    return
  }
  if (shellJob(message, (reply) => parentPort.postMessage(reply))) return
  const { id, command, args, cwd, env, timeoutMs, group } = message
  let child
  try {
    child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: Boolean(group) })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) })
    return
  }
  parentPort.postMessage({ id, pid: child.pid })
  let timedOut = false
  const kill = () => {
    try {
      if (group && child.pid) process.kill(-child.pid, 'SIGKILL')
      else child.kill('SIGKILL')
    } catch {}
  }
  running.set(id, kill)
  let stdout = ''
  let stderr = ''
  const head = []
  let tail = []
  let headSize = 0
  let tailSize = 0
  const keep = group ? group.keepBytes : 0
  const collect = (chunk) => {
    if (headSize < keep) { head.push(chunk); headSize += chunk.length; return }
    tail.push(chunk)
    tailSize += chunk.length
    while (tailSize > keep && tail.length > 1) { tailSize -= tail[0].length; tail = tail.slice(1) }
  }
  child.stdout.on('data', group ? collect : (chunk) => { stdout += chunk.toString('utf8') })
  child.stderr.on('data', group ? collect : (chunk) => { stderr += chunk.toString('utf8') })
  const timer = setTimeout(() => { timedOut = true; kill() }, timeoutMs)
  child.on('error', (error) => {
    clearTimeout(timer)
    running.delete(id)
    parentPort.postMessage({ id, error: error.message })
  })
  child.on('close', (code) => {
    clearTimeout(timer)
    running.delete(id)
    if (group) stdout = Buffer.concat([...head, ...tail]).toString('utf8')
    parentPort.postMessage({ id, code: code == null ? 1 : code, exitCode: code, timedOut, stdout, stderr })
  })
})
`

type Reply =
  | { id: number; error: string }
  | { id: number; closed: true }
  | { id: number; pid: number | undefined }
  | ({ id: number } & GroupResult)

class RunnerThread {
  readonly #worker: Worker
  readonly #pending = new Map<
    number,
    {
      started: (pid: number | undefined) => void
      resolve: (result: GroupResult) => void
      reject: (error: Error) => void
    }
  >()
  #next = 0
  #broken = false

  constructor() {
    this.#worker = new Worker(THREAD_SOURCE, { eval: true })
    // Idle, the thread never keeps Penguin running; with a command in flight it does.
    this.#worker.unref()
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id)
      if (!waiting) return
      if ('pid' in reply) {
        waiting.started(reply.pid)
        return
      }
      waiting.started(undefined)
      this.#pending.delete(reply.id)
      if (this.#pending.size === 0) this.#worker.unref()
      if ('error' in reply) waiting.reject(new Error(reply.error))
      else if ('closed' in reply)
        waiting.resolve({ code: 0, exitCode: 0, timedOut: false, stdout: '', stderr: '' })
      else
        waiting.resolve({
          code: reply.code,
          exitCode: reply.exitCode,
          timedOut: reply.timedOut,
          stdout: reply.stdout,
          stderr: reply.stderr,
        })
    })
    const fail = () => {
      if (this.#broken) return
      this.#broken = true
      thread = null
      // What was in flight may have run: it fails (as a command that could not start) rather than
      // running twice; later commands start from the main thread.
      for (const { started, reject } of this.#pending.values()) {
        started(undefined)
        reject(new Error('the thread that starts processes stopped'))
      }
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', fail)
  }

  /** Starts `count` shells (with this environment) before they are needed. */
  warm(count: number, env: NodeJS.ProcessEnv): void {
    if (!this.#broken) this.#worker.postMessage({ warm: count, env })
  }

  /** Ends the thread's shells and waits until they have exited. */
  close(): Promise<void> {
    if (this.#broken) return Promise.resolve()
    const id = this.#next++
    return new Promise<GroupResult>((resolve, reject) => {
      this.#pending.set(id, { started: () => undefined, resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ close: id })
    }).then(
      () => undefined,
      () => undefined,
    )
  }

  start(request: ProcessRequest): RunningProcess {
    if (this.#broken) return runHere(request)
    const id = this.#next++
    let started: (pid: number | undefined) => void = () => undefined
    const pid = new Promise<number | undefined>((resolve) => {
      started = resolve
    })
    const result = new Promise<GroupResult>((resolve, reject) => {
      this.#pending.set(id, { started, resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ id, ...request })
    })
    return {
      pid,
      result,
      kill: () => {
        if (this.#pending.has(id)) this.#worker.postMessage({ kill: id })
      },
    }
  }
}

/**
 * Ends the shells the thread starts commands from (shell-pool.ts) and waits for them, so that what
 * their commands cost is counted in this process; the next command starts them again. A run calls
 * this at its end.
 */
export function closeProcessShells(): Promise<void> {
  return thread ? thread.close() : Promise.resolve()
}

/**
 * Starts the thread that starts processes before its first command, and `shells` of its shells with
 * the environment the commands will have: they start on another core while the caller gets ready
 * (a parallel run's first git commands then find them running, instead of each paying for a shell's
 * start). Idle, the thread keeps nothing running; the shells end with closeProcessShells.
 */
export function startProcessRunner(warm?: { shells: number; env: NodeJS.ProcessEnv }): void {
  const started = runnerThread()
  if (started && warm) started.warm(warm.shells, warm.env)
}

/** Undefined until first needed; null once it could not be had (then the main thread runs commands). */
let thread: RunnerThread | null | undefined

function runnerThread(): RunnerThread | undefined {
  if (thread === undefined) {
    try {
      thread = new RunnerThread()
    } catch {
      thread = null
    }
  }
  return thread ?? undefined
}
