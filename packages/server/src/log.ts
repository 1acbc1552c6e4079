/**
 * The server's operator log. Everything that reports a problem takes a plain callback (tests pass
 * `() => {}`); `serve()` backs it with a pino logger from @penguin-ai/telemetry, so each line is JSON
 * with the trace and span ids of the active context, the ids below, and secrets redacted.
 */
import { LOG_LEVELS, type Logger, type LogLevel } from '@penguin-ai/telemetry'
import type { Context } from 'hono'

/** What a log line is about, when known. */
export interface LogFields {
  requestId?: string
  sessionId?: string
  runId?: string
  [key: string]: unknown
}

/** Unexpected failures for the operator: a message, the error, and what it concerns. */
export type LogCallback = (message: string, error?: unknown, fields?: LogFields) => void

/** `requestId` → `request_id`: log fields are snake_case like the rest of the server's JSON. */
export function logFields(fields: LogFields = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    out[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value
  }
  return out
}

/**
 * A LogCallback writing to `logger`: `error` lines for failures (the error as pino's `err`), `warn`
 * lines for notes that come without one (a run handed back to the queue, a config warning).
 */
export function loggerCallback(logger: Logger): LogCallback {
  return (message, error, fields) => {
    const record = logFields(fields)
    if (error === undefined) return logger.warn(record, message)
    record.err = error
    logger.error(record, message)
  }
}

/**
 * The log of a process with no logger given (library use, tests that pass none): one line per
 * problem on stderr, `PREFIX: message: cause` — with the cause's stack where `stack` (the server,
 * whose failures here are unexpected), else only its message (`penguin worker`'s routine notes).
 */
export function stderrLog(prefix: string, options: { stack?: boolean } = {}): LogCallback {
  return (message, error) => {
    const detail =
      error instanceof Error
        ? ((options.stack ? error.stack : undefined) ?? error.message)
        : error === undefined
          ? ''
          : String(error)
    process.stderr.write(`${prefix}: ${message}${detail ? `: ${detail}` : ''}\n`)
  }
}

/** The level from `PENGUIN_LOG_LEVEL` (default info); undefined when it names no level. */
export function logLevelFrom(raw: string | undefined): LogLevel | undefined {
  const level = (raw ?? 'info').trim().toLowerCase()
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined
}

/** Ids a failed request concerns: its request id, and the session or run its path names. */
export function requestLogFields(c: Context): LogFields {
  const requestId: unknown = c.get('requestId')
  const path = c.req.path
  return {
    ...(typeof requestId === 'string' ? { requestId } : {}),
    method: c.req.method,
    path,
    ...idIn(path, /\/sessions\/([^/]+)/, 'sessionId'),
    ...idIn(path, /\/runs\/([^/]+)/, 'runId'),
  }
}

function idIn(path: string, pattern: RegExp, key: 'sessionId' | 'runId'): LogFields {
  const id = path.match(pattern)?.[1]
  return id ? { [key]: id } : {}
}

/** The server's log when none is given (its runners share it). */
export const SERVER_LOG: LogCallback = stderrLog('penguin server', { stack: true })
