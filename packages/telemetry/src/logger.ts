import { context, trace } from '@opentelemetry/api'
import { type Logger, pino } from 'pino'
import { prettyLine } from './pretty.js'
import { defaultRedactor, type Redactor } from './redact.js'

export type { Logger } from 'pino'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Where log lines go: `process.stderr` by default, or anything with `write`. */
export interface LogDestination {
  write(text: string): unknown
  isTTY?: boolean
}

export interface LoggerOptions {
  /** Default `PENGUIN_LOG_LEVEL`, else `info`. */
  level?: LogLevel
  /** Human lines instead of JSON; default: when the destination is a terminal. */
  pretty?: boolean
  /** Colours in pretty output; default: a terminal and no `NO_COLOR`. */
  color?: boolean
  destination?: LogDestination
  /** Fields on every record (default: `pid`, `hostname`). */
  base?: Record<string, unknown>
  /** Default: the process-wide redactor (secrets from `process.env`). */
  redactor?: Redactor
}

export class LogLevelError extends Error {
  constructor(level: string) {
    super(`unknown log level "${level}": use one of ${LOG_LEVELS.join(', ')}`)
    this.name = 'LogLevelError'
  }
}

function levelFrom(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info').trim().toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new LogLevelError(level)
  return level as LogLevel
}

/** `trace_id` and `span_id` of the active span, when there is one. */
function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active())
  if (!span) return {}
  const { traceId, spanId } = span.spanContext()
  return { trace_id: traceId, span_id: spanId }
}

/** Fields redacted by key and pattern; top-level errors stay errors so pino serialises them (the line is redacted after). */
function redactFields(object: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  let out: Record<string, unknown> | undefined
  for (const [key, value] of Object.entries(object)) {
    if (value instanceof Error) continue
    const clean = redactor.value({ [key]: value })[key]
    if (clean !== value) {
      out ??= { ...object }
      out[key] = clean
    }
  }
  return out ?? object
}

/**
 * Structured JSON logs (pino): `level` (a name), `time` (ISO-8601), `msg`, the active trace and span
 * ids, and whatever bindings child loggers add. Every line is redacted on its way out (patterns and
 * secret env values), and object fields named like credentials are replaced whole.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? levelFrom(process.env.PENGUIN_LOG_LEVEL)
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new LogLevelError(level)
  const out: LogDestination = options.destination ?? process.stderr
  const pretty = options.pretty ?? Boolean(out.isTTY)
  const color = options.color ?? (Boolean(out.isTTY) && !process.env.NO_COLOR)
  const redactor = options.redactor ?? defaultRedactor()
  const stream = {
    write(line: string) {
      const clean = redactor.text(line)
      out.write(pretty ? prettyLine(clean.trimEnd(), color) : clean)
    },
  }
  return pino(
    {
      level,
      ...(options.base ? { base: options.base } : {}),
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactFields(object, redactor),
      },
    },
    stream,
  )
}

/** A child logger whose records carry the session and run ids (as `session_id`, `run_id`). */
export function childLogger(
  logger: Logger,
  ids: { sessionId?: string; runId?: string; [key: string]: unknown },
): Logger {
  const { sessionId, runId, ...rest } = ids
  return logger.child({
    ...(sessionId ? { session_id: sessionId } : {}),
    ...(runId ? { run_id: runId } : {}),
    ...rest,
  })
}
