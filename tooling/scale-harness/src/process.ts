/**
 * A `penguin` child process of the built CLI (penguin-ai's bin, as users run it), with its output
 * kept and waits on what it prints: every wait is bounded and fails naming what it waited for,
 * with the output so far.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The built `penguin` of this checkout, or `BENCH_PENGUIN` (another build's bin/penguin.js: what
 * `pnpm bench:scale` compares against, as bench:parallel does).
 */
export const PENGUIN_BIN =
  process.env.BENCH_PENGUIN ||
  join(dirname(createRequire(import.meta.url).resolve('penguin-ai/package.json')), 'bin', 'penguin.js')

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface PenguinProcess {
  /** A name for messages (`server-1`, `worker-2`). */
  readonly name: string
  readonly child: ChildProcess
  readonly pid: number
  /** stdout and stderr as they came, interleaved. */
  output(): string
  /** Resolves with the first match of `pattern` in the output (now or later); rejects if it exits first or after `boundMs`. */
  waitFor(pattern: RegExp, what: string, boundMs?: number): Promise<RegExpMatchArray>
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>
  /** Sends `signal` (if still running) and waits (bounded) for the exit. */
  stop(signal?: NodeJS.Signals, boundMs?: number): Promise<Exit>
}

const DEFAULT_WAIT_MS = 90_000

export function startPenguin(
  name: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): PenguinProcess {
  const child = spawn(process.execPath, [PENGUIN_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  const watchers = new Set<() => void>()
  const append = (chunk: string) => {
    text += chunk
    for (const watcher of [...watchers]) watcher()
  }
  child.stdout?.setEncoding('utf8').on('data', append)
  child.stderr?.setEncoding('utf8').on('data', append)
  let exit: Exit | undefined
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      exit = { code, signal }
      for (const watcher of [...watchers]) watcher()
      resolve(exit)
    })
    child.on('error', (error) => append(`\n[spawn error] ${error.message}\n`))
  })
  if (child.pid === undefined) throw new Error(`${name}: could not start ${PENGUIN_BIN}`)
  const tail = () => text.slice(-4_000)

  return {
    name,
    child,
    pid: child.pid,
    output: () => text,
    exited,
    waitFor(pattern, what, boundMs = DEFAULT_WAIT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern)
          if (match) return done(() => resolve(match))
          if (exit)
            done(() =>
              reject(new Error(`${name} exited (${exit?.code ?? exit?.signal}) before ${what}:\n${tail()}`)),
            )
        }
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name}: no ${what} within ${boundMs} ms:\n${tail()}`))),
          boundMs,
        )
        const done = (settle: () => void) => {
          clearTimeout(timer)
          watchers.delete(check)
          settle()
        }
        watchers.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM', boundMs = 60_000) {
      if (!exit) child.kill(signal)
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`${name} did not exit within ${boundMs} ms of ${signal}:\n${tail()}`))
        }, boundMs)
      })
      try {
        return await Promise.race([exited, bound])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
