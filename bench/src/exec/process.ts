import { spawn } from 'node:child_process'

export interface BoundedRunOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutMs: number
  /** Bytes kept per stream (the head); the rest is counted and dropped. Default 64 KiB. */
  maxOutputBytes?: number
  signal?: AbortSignal
}

export interface BoundedOutcome {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  aborted: boolean
  stdout: string
  stderr: string
  durationMs: number
  /** Set when the process could not be started at all. */
  startError?: string
}

const DEFAULT_MAX_OUTPUT = 64 * 1024

/**
 * Runs one untrusted process as the leader of its own process group. On timeout or abort the whole
 * group is killed at once (no grace period: candidates are disposable), and when the leader exits
 * anything it left behind in the group is killed too, so nothing can hold the run up.
 */
export function runBounded(
  command: string,
  args: string[],
  options: BoundedRunOptions,
): Promise<BoundedOutcome> {
  const started = Date.now()
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT
  const stdout = new HeadCapture(limit)
  const stderr = new HeadCapture(limit)
  return new Promise((resolve) => {
    let timedOut = false
    let aborted = false
    let settled = false
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const killGroup = () => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, options.timeoutMs)
    const onAbort = () => {
      aborted = true
      killGroup()
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    if (options.signal?.aborted) onAbort()

    const settle = (fields: Partial<BoundedOutcome>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve({
        exitCode: null,
        signal: null,
        timedOut,
        aborted,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Date.now() - started,
        ...fields,
      })
    }
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk))
    child.on('error', (error) => settle({ startError: error.message }))
    // Leftover group members (a forked child sleeping forever) would keep the pipes open.
    child.on('exit', () => killGroup())
    child.on('close', (code, signal) => settle({ exitCode: code, signal }))
  })
}

/** Keeps the first `limit` bytes of a stream and notes how much was dropped. */
class HeadCapture {
  private readonly chunks: Buffer[] = []
  private kept = 0
  private total = 0

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length
    const room = this.limit - this.kept
    if (room <= 0) return
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.chunks.push(part)
    this.kept += part.length
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8')
    const dropped = this.total - this.kept
    return dropped > 0 ? `${text}\n… [${dropped} more bytes dropped]` : text
  }
}
