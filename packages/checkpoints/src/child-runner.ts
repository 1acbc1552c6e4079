/**
 * Starts the checkpoint's child processes (git, or the shell running a script of git commands) from
 * a small thread of its own, off the main thread.
 *
 * Node starts a child with fork + exec and blocks the calling thread until the child has exec'd:
 * the fork copies the process's page tables, then the child must get a CPU to run exec. For a server
 * or worker holding many sessions that is several milliseconds, tens of them on a busy machine —
 * time in which every other run's agent, store writes and events waited. From this thread, only the
 * thread waits — and the thread hands most jobs to a long-lived shell (shell-jobs.ts), which starts
 * them without forking Penguin's process at all. Should the thread fail, children start from the
 * main thread (same results). (packages/projects starts its git processes the same way; neither
 * imports the other.)
 */
import type { ExecFileException } from 'node:child_process'
import type { Worker } from 'node:worker_threads'
import { SHELL_JOBS_SOURCE } from './shell-jobs.js'

export interface ChildRequest {
  file: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Written to the child's stdin (then closed). */
  input: string
  maxBuffer: number
}

export interface ChildResult {
  /** Set when the child failed to start, exited non-zero, was killed or said too much. */
  error?: ExecFileException
  stdout: Buffer
  stderr: Buffer
}

/** How many children this process started for checkpoints (tests count them; so could diagnostics). */
let started = 0
export function childrenStarted(): number {
  return started
}

/** Runs one child to its end with execFile's semantics (buffers, maxBuffer, exit code in `error`). */
export async function runChild(request: ChildRequest): Promise<ChildResult> {
  started++
  const thread = await runnerThread()
  return thread ? thread.run(request) : runHere(request)
}

async function runHere({ file, args, cwd, env, input, maxBuffer }: ChildRequest): Promise<ChildResult> {
  const { execFile } = await import('node:child_process')
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd, env, encoding: 'buffer', maxBuffer, windowsHide: true },
      (error, stdout, stderr) => resolve(error ? { error, stdout, stderr } : { stdout, stderr }),
    )
    // The child may exit before reading all of stdin (e.g. on a bad argument); its status says so.
    child.stdin?.on('error', () => {})
    child.stdin?.end(input)
  })
}

/**
 * The thread's program (CommonJS, evaluated: nothing to bundle or resolve). In: `{id, file, args,
 * cwd, env, input, maxBuffer}`; out: `{id, stdout, stderr, error?}` (error as plain fields). A job
 * runs in one of the thread's long-lived shells when it can (shell-jobs.ts), else it starts directly.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { execFile, spawn } = require('node:child_process')
const { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join, resolve } = require('node:path')
${SHELL_JOBS_SOURCE}
function directJob({ file, args, cwd, env, input, maxBuffer }, reply) {
  let child
  try {
    child = execFile(file, args, { cwd, env, encoding: 'buffer', maxBuffer, windowsHide: true }, (error, stdout, stderr) =>
      reply({ error, stdout, stderr }),
    )
  } catch (error) {
    reply({ error })
    return
  }
  if (child.stdin) {
    child.stdin.on('error', () => {})
    child.stdin.end(input)
  }
}
parentPort.on('message', (request) => {
  const reply = ({ error, stdout, stderr }) => parentPort.postMessage({
    id: request.id,
    stdout: stdout || Buffer.alloc(0),
    stderr: stderr || Buffer.alloc(0),
    error: error ? { message: error.message, code: error.code, syscall: error.syscall, signal: error.signal, killed: error.killed } : undefined,
  })
  if (!shellJob(request, reply)) directJob(request, reply)
})
`

interface ThreadError {
  message: string
  code?: string | number
  syscall?: string
  signal?: NodeJS.Signals
  killed?: boolean
}

interface Reply {
  id: number
  stdout: Uint8Array
  stderr: Uint8Array
  error?: ThreadError
}

class RunnerThread {
  readonly #worker: Worker
  readonly #pending = new Map<number, (result: ChildResult) => void>()
  #next = 0
  #broken = false

  constructor(WorkerClass: typeof Worker) {
    this.#worker = new WorkerClass(THREAD_SOURCE, { eval: true })
    // Idle, the thread never keeps the process running; with a child in flight it does.
    this.#worker.unref()
    this.#worker.on('message', (reply: Reply) => {
      const done = this.#pending.get(reply.id)
      if (!done) return
      this.#pending.delete(reply.id)
      if (this.#pending.size === 0) this.#worker.unref()
      const result: ChildResult = { stdout: toBuffer(reply.stdout), stderr: toBuffer(reply.stderr) }
      if (reply.error) result.error = Object.assign(new Error(reply.error.message), reply.error)
      done(result)
    })
    const fail = (error?: unknown) => {
      if (this.#broken) return
      this.#broken = true
      thread = null
      // What was in flight may have run: it fails (as a child that could not start) rather than
      // running twice; later children start from the main thread.
      const message = `the thread that starts checkpoint git processes stopped${error instanceof Error ? `: ${error.message}` : ''}`
      for (const done of this.#pending.values())
        done({ error: new Error(message), stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) })
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', () => fail())
  }

  run(request: ChildRequest): Promise<ChildResult> {
    if (this.#broken) return runHere(request)
    return new Promise((resolve) => {
      const id = this.#next++
      this.#pending.set(id, resolve)
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ id, ...request })
    })
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Undefined until first needed; null once it could not be had (then the main thread starts children). */
let thread: RunnerThread | null | undefined
let starting: Promise<RunnerThread | null> | undefined

function runnerThread(): Promise<RunnerThread | null> | RunnerThread | null {
  if (thread !== undefined) return thread
  starting ??= import('node:worker_threads').then(
    ({ Worker: WorkerClass }) => {
      try {
        thread = new RunnerThread(WorkerClass)
      } catch {
        thread = null
      }
      return thread
    },
    () => {
      thread = null
      return null
    },
  )
  return starting
}
