/**
 * The human face of the JSON logs, for a terminal: one line per record, time, level, message,
 * then the other fields as key=value. A plain function over a JSON line, so no worker threads or
 * transports are involved.
 */

const LEVEL_COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
}
const DIM = '\x1b[2m'
const RESET = '\x1b[0m'

/** Fields shown in their own place, or not at all, rather than as key=value. */
const OWN_PLACE = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'trace_id', 'span_id'])

function clock(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date()
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().slice(11, 23)
}

function show(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

/** One JSON log line → one human line (ending in a newline). Lines that are not JSON pass through. */
export function prettyLine(line: string, color: boolean): string {
  let record: Record<string, unknown>
  try {
    record = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`
  }
  const level = typeof record.level === 'string' ? record.level : String(record.level ?? '')
  const paintLevel = color
    ? `${LEVEL_COLORS[level] ?? ''}${level.toUpperCase().padEnd(5)}${RESET}`
    : level.toUpperCase().padEnd(5)
  const parts = [color ? `${DIM}${clock(record.time)}${RESET}` : clock(record.time), paintLevel]
  if (record.msg !== undefined) parts.push(String(record.msg))
  const fields: string[] = []
  for (const [key, value] of Object.entries(record)) {
    if (OWN_PLACE.has(key) || value === undefined) continue
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as { message?: unknown; stack?: unknown }
      fields.push(`err=${show(err.message ?? value)}`)
      if (typeof err.stack === 'string') fields.push(`\n${err.stack.split('\n').slice(1).join('\n')}`)
      continue
    }
    fields.push(`${key}=${show(value)}`)
  }
  if (typeof record.trace_id === 'string') fields.push(`trace=${record.trace_id.slice(0, 8)}`)
  const tail = fields.length ? ` ${color ? DIM : ''}${fields.join(' ')}${color ? RESET : ''}` : ''
  return `${parts.join(' ')}${tail}\n`
}
