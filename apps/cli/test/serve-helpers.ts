/**
 * `penguin serve` (and `penguin worker`) in a test: `runServing` starts a server on port 0, drives
 * it once it says where it listens and waits for it to end (cli-serve, cli-serve-postgres, the
 * GitHub webhook tests); `startPenguin`/`startServing` leave it running in the background for tests
 * with several processes (servers, workers) — `stopBackground()` after each; `sseFrames` reads an
 * event stream.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { within } from '@penguin-ai/testkit'
import { baseEnv, type CliResult, PENGUIN_BIN, runPenguin, type SpawnOptions } from './cli-helpers.js'

/**
 * Runs `penguin …args` and calls `drive(url, child)` once it prints `listening on URL`; the driver
 * ends the server (e.g. `child.kill('SIGTERM')`). A driver that throws kills it (SIGKILL) and its
 * error is thrown here, after the process is gone.
 */
export async function runServing(
  args: string[],
  options: Omit<SpawnOptions, 'onStdout'>,
  drive: (url: string, child: ChildProcess) => Promise<void>,
): Promise<CliResult> {
  let failure: unknown
  let started = false
  const result = await runPenguin(args, {
    ...options,
    onStdout: (chunk, child) => {
      const url = chunk.match(/listening on (http:\/\/\S+)/)?.[1]
      if (!url || started) return
      started = true
      drive(url, child).catch((error: unknown) => {
        failure = error
        child.kill('SIGKILL')
      })
    },
  })
  if (failure) throw failure
  return result
}

/**
 * `penguin serve` on port 0 without auth, with the mock model as its default model's endpoint and
 * no sandbox: what the serve tests start, then `extra` (e.g. `--workers 1`).
 */
export function serveArgs(root: string, mockUrl: string, ...extra: string[]): string[] {
  return [
    'serve',
    '--port',
    '0',
    '--no-auth',
    '--root',
    root,
    '--model',
    'openai/gpt-4o',
    '--base-url',
    mockUrl,
    '--sandbox',
    'off',
    ...extra,
  ]
}

/** A long-running `penguin` (serve, worker) started by `startPenguin`. */
export interface Background {
  child: ChildProcess
  /** Everything it printed so far, for failure messages. */
  output(): string
  /** Resolves with the first match of `pattern` in its stdout (bounded; fails if it exits first). */
  line(pattern: RegExp): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const background: ChildProcess[] = []

/**
 * Starts `penguin …args` in the background, in a home of its own (also its PENGUIN_HOME), with a
 * clean environment plus `env`. Call `stopBackground()` after each test.
 */
export async function startPenguin(args: string[], env: Record<string, string>): Promise<Background> {
  const home = await mkdtemp(join(tmpdir(), 'penguin-background-home-'))
  const child = spawn(process.execPath, [PENGUIN_BIN, ...args], {
    cwd: home,
    env: { ...baseEnv(home), PENGUIN_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  background.push(child)
  let stdout = ''
  let stderr = ''
  const waiters: (() => void)[] = []
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const wake of waiters.splice(0)) wake()
      resolve({ code, signal })
    })
  })
  return {
    child,
    output: () => `stdout: ${stdout}\nstderr: ${stderr}`,
    exited,
    line: (pattern) =>
      within(
        (async () => {
          for (;;) {
            const match = stdout.match(pattern)
            if (match) return match
            if (child.exitCode !== null || child.signalCode !== null)
              throw new Error(
                `penguin ${args[0]} exited before ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`,
              )
            await new Promise<void>((wake) => waiters.push(wake))
          }
        })(),
        `penguin ${args[0]} to print ${pattern}`,
      ),
  }
}

/** SIGKILLs every background `penguin` still running. */
export function stopBackground(): void {
  for (const child of background.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** A `penguin serve` started in the background: its API, once it listens. */
export async function startServing(args: string[], env: Record<string, string>) {
  const served = await startPenguin(args, env)
  const base = (await served.line(/listening on (http:\/\/\S+)/))[1] as string
  const api = (path: string, init: RequestInit = {}) => fetch(`${base}/api/v1${path}`, init)
  const post = (path: string, body: unknown) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { served, base, api, post }
}

/** One server-sent event. */
export interface Frame {
  id: number
  event: string
  data: Record<string, unknown>
}

/** An SSE response read frame by frame. */
export function sseFrames(response: Response) {
  const reader = response.body?.getReader()
  if (!reader) throw new Error('no body')
  const decoder = new TextDecoder()
  let text = ''
  const seen: Frame[] = []
  return {
    /** Frames until (and including) the first of `type` (and, if given, matching `where`). */
    async until(type: string, where: (frame: Frame) => boolean = () => true): Promise<Frame[]> {
      for (;;) {
        let cut = text.indexOf('\n\n')
        while (cut >= 0) {
          const block = text.slice(0, cut)
          text = text.slice(cut + 2)
          const id = block.match(/^id: (\d+)$/m)?.[1]
          const event = block.match(/^event: (.+)$/m)?.[1]
          const data = block.match(/^data: (.+)$/m)?.[1]
          if (id && event && data) {
            const frame = { id: Number(id), event, data: JSON.parse(data) }
            seen.push(frame)
            if (event === type && where(frame)) return seen.splice(0)
          }
          cut = text.indexOf('\n\n')
        }
        const { done, value } = await reader.read()
        if (done) throw new Error(`stream ended before ${type}`)
        text += decoder.decode(value, { stream: true })
      }
    },
    close: () => reader.cancel().catch(() => {}),
  }
}
