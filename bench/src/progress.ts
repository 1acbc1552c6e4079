import { formatCost, formatDuration, textTable } from './format.js'

export interface Output {
  write(text: string): void
  isTTY?: boolean
}

export interface ItemEvent {
  /** Problem or instance id (with the sample number when there are several). */
  id: string
  /** Whether it counts as solved. */
  ok: boolean
  /** `passed`, `failed`, `timeout`, `error`, `resolved`, … */
  status: string
  costUsd: number
  /** The full record, as written to results.jsonl (printed with --json). */
  record: unknown
}

/** How a run tells the outside world where it is: a progress bar, plain lines, or JSON lines. */
export interface Reporter {
  start(info: { benchmark: string; model: string; total: number; skipped: number; outDir: string }): void
  item(event: ItemEvent): void
  note(message: string): void
  /** `table` is shown to people; `summary` is the machine-readable object. */
  finish(table: string[][], summary: object): void
}

export const silentReporter: Reporter = { start() {}, item() {}, note() {}, finish() {} }

export interface ReporterOptions {
  json: boolean
  stdout: Output
  stderr: Output
}

/**
 * `--json`: one JSON object per line on stdout (`bench.started`, `bench.result` per item,
 * `bench.notice`, `bench.summary`). Otherwise progress goes to stderr — a redrawn bar on a terminal,
 * one line per item elsewhere — and the summary table to stdout.
 */
export function createReporter(options: ReporterOptions): Reporter {
  if (options.json) return jsonReporter(options.stdout)
  return humanReporter(options.stdout, options.stderr)
}

function jsonReporter(stdout: Output): Reporter {
  const line = (object: object) => stdout.write(`${JSON.stringify(object)}\n`)
  return {
    start: (info) => line({ type: 'bench.started', ...info }),
    item: (event) => line({ type: 'bench.result', ...(event.record as object) }),
    note: (message) => line({ type: 'bench.notice', message }),
    finish: (_table, summary) => line({ type: 'bench.summary', ...summary }),
  }
}

function humanReporter(stdout: Output, stderr: Output): Reporter {
  const tty = Boolean(stderr.isTTY)
  let total = 0
  let done = 0
  let ok = 0
  let cost = 0
  let started = Date.now()
  let label = ''
  let lastDraw = 0
  const draw = (force = false) => {
    const now = Date.now()
    if (!force && now - lastDraw < 100) return
    lastDraw = now
    const width = 24
    const filled = total === 0 ? width : Math.round((done / total) * width)
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
    stderr.write(
      `\r\x1b[K${label} ${bar} ${done}/${total} · ${ok} solved · ${formatCost(cost)} · ${formatDuration(now - started)}`,
    )
  }
  const clear = () => {
    if (tty) stderr.write('\r\x1b[K')
  }
  return {
    start(info) {
      total = info.total
      label = info.benchmark
      started = Date.now()
      const skipped = info.skipped ? ` (${info.skipped} already done, skipped)` : ''
      stderr.write(`${info.benchmark}: ${info.total} to run with ${info.model}${skipped} → ${info.outDir}\n`)
      if (tty) draw(true)
    },
    item(event) {
      done++
      if (event.ok) ok++
      cost += event.costUsd
      if (tty) draw(done === total)
      else stderr.write(`${event.ok ? '✓' : '✗'} ${event.id} ${event.status} (${done}/${total})\n`)
    },
    note(message) {
      clear()
      stderr.write(`${message}\n`)
      if (tty && total) draw(true)
    },
    finish(table) {
      clear()
      stdout.write(`${textTable(table)}\n`)
    },
  }
}
