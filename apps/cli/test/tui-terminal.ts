/**
 * The chat UI as a person sees it: `penguin` in a real pseudo-terminal (util-linux `script`, sized
 * with stty), its output fed to a headless xterm, and the SCREEN read back as text. Tests type keys
 * and wait for text to appear on screen — no sleeps: every wait is for output, bounded.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Unicode11Addon } from '@xterm/addon-unicode11'
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
  /** Resolves once `check()` holds after some output (checked on every write), e.g. a redraw. */
  until(check: () => boolean, what: string): Promise<void>
  /** Where the terminal's cursor is on the screen (0-based column and row). */
  cursor(): { column: number; row: number }
  /**
   * The person resizes the window: the emulator reflows its screen, then the pty gets the new
   * size (the kernel sends SIGWINCH to penguin), as a terminal does.
   */
  resize(columns: number, rows: number): void
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
  // Emoji two columns wide, as in today's terminals (xterm.js defaults to Unicode 6 widths).
  term.loadAddon(new Unicode11Addon())
  term.unicode.activeVersion = '11'
  let height = rows
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
    screen: () => lines(term.buffer.active.baseY, term.buffer.active.baseY + height),
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
    until: (condition, what) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`never true: ${what}\n${text()}\nstderr: ${stderr}`))
        }, options.timeoutMs ?? 60_000)
        const waiter = () => {
          if (condition()) {
            clearTimeout(timer)
            waiters.delete(waiter)
            resolve()
          } else if (closed) {
            clearTimeout(timer)
            waiters.delete(waiter)
            reject(new Error(`penguin exited before: ${what}\n${text()}\nstderr: ${stderr}`))
          }
        }
        waiters.add(waiter)
        waiter()
      }),
    cursor: () => ({ column: term.buffer.active.cursorX, row: term.buffer.active.cursorY }),
    resize: (newColumns, newRows) => {
      term.resize(newColumns, newRows)
      height = newRows
      const tty = terminalOf(child.pid as number)
      const sized = spawnSync('stty', ['-F', tty, 'cols', String(newColumns), 'rows', String(newRows)])
      if (sized.status !== 0) throw new Error(`stty -F ${tty} failed: ${sized.stderr}`)
    },
    type: (keys) => {
      child.stdin.write(keys)
    },
    exited,
    kill: () => child.kill('SIGKILL'),
  }
  return session
}

/** The pseudo-terminal `script` gave its child (penguin): its stdin. */
function terminalOf(scriptPid: number): string {
  const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/)
  const pid = children[0]
  if (!pid) throw new Error(`script (${scriptPid}) has no child yet`)
  return readlinkSync(`/proc/${pid}/fd/0`)
}

/** How many times `what` occurs in `text`. */
export function occurrences(text: string, what: string | RegExp): number {
  if (typeof what === 'string') return text.split(what).length - 1
  return [...text.matchAll(new RegExp(what.source, `${what.flags.replace('g', '')}g`))].length
}
