/**
 * The chat UI as a person sees it: `penguin` in a real pseudo-terminal (util-linux `script`, sized
 * with stty), its output fed to a headless xterm, and the SCREEN read back as text. Tests type keys
 * and wait for text to appear on screen — no sleeps: every wait is for output, bounded.
 */
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import xterm from '@xterm/headless'
import { baseEnv, PENGUIN_BIN } from './cli-helpers.js'

export interface TerminalSession {
  /** The visible screen, one string per row (trailing spaces trimmed). */
  screen(): string[]
  /** Scrollback and screen, as text. */
  text(): string
  /** Everything the program wrote, escapes included. */
  raw(): string
  /** Rows the terminal itself had to wrap (a line wider than the screen): the UI should never cause one. */
  wrappedRows(): string[]
  /** Resolves once `what` is on the screen or in the scrollback (`count` times, default once). */
  waitFor(what: string | RegExp, options?: { count?: number }): Promise<void>
  type(keys: string): void
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  kill(): void
}

export const KEYS = {
  enter: '\r',
  altEnter: '\u001b\r',
  shiftEnter: '\u001b[13;2u',
  esc: '\u001b',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  shiftTab: '\u001b[Z',
  tab: '\t',
  up: '\u001b[A',
  down: '\u001b[B',
  paste: (text: string) => `\u001b[200~${text}\u001b[201~`,
}

export async function startTerminal(
  args: string[],
  options: {
    env?: Record<string, string | undefined>
    columns?: number
    rows?: number
    home?: string
    timeoutMs?: number
  } = {},
): Promise<TerminalSession> {
  const columns = options.columns ?? 80
  const rows = options.rows ?? 30
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'penguin-home-')))
  const env: Record<string, string | undefined> = { ...baseEnv(home), TERM: 'xterm-256color', ...options.env }
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
  const command = `stty cols ${columns} rows ${rows}; exec ${[process.execPath, PENGUIN_BIN, ...args].map(quote).join(' ')}`
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: home,
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 5000 })
  let raw = ''
  let stderr = ''
  const waiters = new Set<() => void>()
  const check = () => {
    for (const waiter of [...waiters]) waiter()
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk
    term.write(chunk, check)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      // Let xterm finish parsing what is already written, then wake the waiters one last time.
      term.write('', () => {
        check()
        resolve(code)
      })
    })
  })
  const lines = (from: number, to: number) => {
    const buffer = term.buffer.active
    const out: string[] = []
    for (let i = from; i < to; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? '')
    return out
  }
  const text = () => lines(0, term.buffer.active.length).join('\n')
  let closed = false
  void exited.then(() => {
    closed = true
    check()
  })
  const session: TerminalSession = {
    screen: () => lines(term.buffer.active.baseY, term.buffer.active.baseY + rows),
    text,
    raw: () => raw,
    wrappedRows: () => {
      const buffer = term.buffer.active
      const out: string[] = []
      for (let i = 0; i < buffer.length; i++) {
        const line = buffer.getLine(i)
        if (line?.isWrapped)
          out.push(`${buffer.getLine(i - 1)?.translateToString(true)}⏎${line.translateToString(true)}`)
      }
      return out
    },
    waitFor: (what, waitOptions = {}) =>
      new Promise<void>((resolve, reject) => {
        const found = () => occurrences(text(), what) >= (waitOptions.count ?? 1)
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`"${String(what)}" never appeared on the screen:\n${text()}\nstderr: ${stderr}`))
        }, options.timeoutMs ?? 60_000)
        const waiter = () => {
          if (found()) {
            clearTimeout(timer)
            waiters.delete(waiter)
            resolve()
          } else if (closed) {
            clearTimeout(timer)
            waiters.delete(waiter)
            reject(
              new Error(`penguin exited before "${String(what)}" appeared:\n${text()}\nstderr: ${stderr}`),
            )
          }
        }
        waiters.add(waiter)
        waiter()
      }),
    type: (keys) => {
      child.stdin.write(keys)
    },
    exited,
    kill: () => child.kill('SIGKILL'),
  }
  return session
}

/** How many times `what` occurs in `text`. */
export function occurrences(text: string, what: string | RegExp): number {
  if (typeof what === 'string') return text.split(what).length - 1
  return [...text.matchAll(new RegExp(what.source, `${what.flags.replace('g', '')}g`))].length
}
