/**
 * A named pipe a test reads while the processes it starts write to it: the one event a test has for
 * "every process that holds it is gone" (the reader sees end-of-file when the last writer's copy of
 * the descriptor closes, i.e. when that process exits — zombies included), and for "the command has
 * started" (its first line). No polling of /proc, no sleeps.
 *
 * A command holds it with `exec 3>"$FIFO"` (children inherit fd 3); it writes a line with `>&3`.
 * Git and the checkpoint snapshots skip FIFOs, so it may sit in a workspace.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, constants, createReadStream, openSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_BOUND_MS, within } from './wait.js'

export interface Fifo {
  path: string
  /** The first complete line written to it (trimmed). */
  firstLine(timeoutMs?: number): Promise<string>
  /** Resolves once every writer has closed it after the first one opened it: they all exited. */
  closed(timeoutMs?: number): Promise<void>
  /** Everything read so far. */
  text(): string
  /** Stops reading (unblocks a reader still waiting for a first writer). */
  release(): void
}

/** Creates `name` in `dir` as a FIFO and starts reading it at once (the open waits for a writer). */
export function fifo(dir: string, name = 'held.fifo'): Fifo {
  const path = join(dir, name)
  execFileSync('mkfifo', [path])
  let text = ''
  let opened = false
  let onLine: (line: string) => void = () => undefined
  let onEnd: () => void = () => undefined
  const line = new Promise<string>((resolve) => {
    onLine = resolve
  })
  const ended = new Promise<void>((resolve) => {
    onEnd = resolve
  })
  const stream = createReadStream(path, 'utf8')
  stream
    .on('open', () => {
      opened = true
    })
    .on('data', (chunk) => {
      text += chunk
      const newline = text.indexOf('\n')
      if (newline >= 0) onLine(text.slice(0, newline).trim())
    })
    .on('end', () => {
      onLine(text.trim())
      onEnd()
    })
    .on('error', () => onEnd())
  return {
    path,
    firstLine: (timeoutMs = DEFAULT_BOUND_MS) => within(line, `a line in ${path}`, timeoutMs),
    closed: (timeoutMs = DEFAULT_BOUND_MS) => within(ended, `every holder of ${path} to exit`, timeoutMs),
    text: () => text,
    release() {
      if (!opened) {
        // The read side's open() is blocked in a thread until a writer comes: be that writer.
        try {
          closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK))
        } catch {}
      }
      stream.destroy()
    },
  }
}
