/**
 * Starts the git processes of a parallel run from a small thread of its own, off the main thread.
 *
 * Node starts a child with fork + exec and blocks the calling thread until the child has exec'd:
 * the fork copies the process's memory map, then the child must get a CPU to run exec. For a
 * process Penguin's size that is several milliseconds, and tens of them on a busy machine — time
 * in which every other task's agent, store write and event waited on the main thread. From this
 * thread, only this thread waits. Should the thread fail, commands start from the main thread.
 */
import { spawn } from 'node:child_process'
import { Worker } from 'node:worker_threads'

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
}

/** Runs one command to its end: exit code (1 when killed) and its output as text. */
export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const thread = runnerThread()
  return thread ? thread.run(request) : runHere(request)
}

/** The same as the thread does, on this thread (the fallback). */
function runHere({ command, args, cwd, env, timeoutMs }: ProcessRequest): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, stdout, stderr })
    })
  })
}

/**
 * The thread's program (CommonJS, evaluated: nothing to bundle or resolve). Messages in are
 * `{id, command, args, cwd, env, timeoutMs}`; out `{id, code, stdout, stderr}` or `{id, error}`.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { spawn } = require('node:child_process')
parentPort.on('message', ({ id, command, args, cwd, env, timeoutMs }) => {
  let child
  try {
    child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) })
    return
  }
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  child.on('error', (error) => {
    clearTimeout(timer)
    parentPort.postMessage({ id, error: error.message })
  })
  child.on('close', (code) => {
    clearTimeout(timer)
    parentPort.postMessage({ id, code: code == null ? 1 : code, stdout, stderr })
  })
})
`

type Reply = { id: number; error: string } | ({ id: number } & ProcessResult)

class RunnerThread {
  readonly #worker: Worker
  readonly #pending = new Map<
    number,
    { resolve: (result: ProcessResult) => void; reject: (error: Error) => void }
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
      this.#pending.delete(reply.id)
      if (this.#pending.size === 0) this.#worker.unref()
      if ('error' in reply) waiting.reject(new Error(reply.error))
      else waiting.resolve({ code: reply.code, stdout: reply.stdout, stderr: reply.stderr })
    })
    const fail = () => {
      if (this.#broken) return
      this.#broken = true
      thread = null
      // What was in flight may have run: it fails (as a command that could not start) rather than
      // running twice; later commands start from the main thread.
      for (const { reject } of this.#pending.values())
        reject(new Error('the thread that starts git processes stopped'))
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', fail)
  }

  run(request: ProcessRequest): Promise<ProcessResult> {
    if (this.#broken) return runHere(request)
    return new Promise((resolve, reject) => {
      const id = this.#next++
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ id, ...request })
    })
  }
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
