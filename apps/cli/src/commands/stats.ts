import type { UsageSummary, UsageTotals } from '@penguin-ai/store'
import { EXIT, usageError } from '../cli-error.js'
import { parseCommand } from '../flags.js'
import { formatCost, formatTokens } from '../render/format.js'
import { table } from '../store/render.js'
import { withServerStore } from '../store/shared.js'
import { printHelp } from './help-text.js'
import { STATS } from './spec/store.js'

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `7d` → seven days before `now`; an ISO date or time as itself. Anything else is a usage error. */
export function parseSince(raw: string, now = Date.now()): string {
  const text = raw.trim()
  const duration = /^(\d+)\s*([smhdw])$/i.exec(text)
  if (duration) {
    const ms = Number(duration[1]) * (UNITS[duration[2]!.toLowerCase()] ?? 0)
    return new Date(now - ms).toISOString()
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    const ms = Date.parse(text)
    if (!Number.isNaN(ms)) return new Date(ms).toISOString()
  }
  throw usageError(
    `--since must be a duration (30m, 24h, 7d, 2w) or an ISO-8601 date or time such as 2025-01-31 (got "${raw}").`,
  )
}

function row(name: string, usage: UsageTotals): string[] {
  return [
    name,
    String(usage.runs),
    formatTokens(usage.inputTokens),
    formatTokens(usage.cacheReadTokens),
    formatTokens(usage.cacheWriteTokens),
    formatTokens(usage.outputTokens),
    formatCost(usage.costUsd),
  ]
}

/** The share of input tokens read from the prompt cache, e.g. `87%`. */
function cacheShare(usage: UsageTotals): string {
  return `${Math.round((100 * usage.cacheReadTokens) / Math.max(1, usage.inputTokens))}%`
}

export function renderStats(summary: UsageSummary, since: string | undefined, sinceText?: string): string {
  const { total } = summary
  const period = since ? `since ${since}${sinceText ? ` (${sinceText})` : ''}` : 'all time'
  if (total.runs === 0 && total.inputTokens + total.outputTokens === 0 && total.costUsd === 0)
    return `Nothing recorded ${since ? period : 'yet'}.`
  const tokens = total.inputTokens + total.outputTokens
  const cache =
    total.cacheReadTokens + total.cacheWriteTokens > 0
      ? `, ${formatTokens(total.cacheReadTokens)} from cache (${cacheShare(total)}), ${formatTokens(total.cacheWriteTokens)} written to it`
      : ''
  const lines = [
    `Usage, ${period}`,
    `  ${total.runs} run${total.runs === 1 ? '' : 's'} · ${formatTokens(tokens)} tokens (${formatTokens(total.inputTokens)} in${cache}, ${formatTokens(total.outputTokens)} out) · ${formatCost(total.costUsd)}`,
    '',
    'By model',
    table(
      ['MODEL', 'RUNS', 'INPUT', 'CACHE READ', 'CACHE WRITE', 'OUTPUT', 'COST'],
      summary.byModel.map((m) => row(m.model, m)),
    ),
  ]
  if (summary.byProject.length > 0) {
    lines.push(
      '',
      'By project',
      table(
        ['PROJECT', 'RUNS', 'INPUT', 'CACHE READ', 'CACHE WRITE', 'OUTPUT', 'COST'],
        summary.byProject.map((p) => row(`${p.name} (${p.projectId})`, p)),
      ),
    )
  }
  return lines.join('\n')
}

/** `penguin stats [--since 7d] [--json] [--db FILE | --database URL]`. */
export async function statsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, STATS)
  if (values.help) {
    return printHelp(['stats'])
  }
  if (positionals.length > 0) throw usageError(`penguin stats takes no arguments (got "${positionals[0]}").`)
  const since = values.since === undefined ? undefined : parseSince(values.since)
  const summary = await withServerStore(values, (store) => store.usageSummary(since ? { since } : {}))
  const text = values.json
    ? JSON.stringify({ since: since ?? null, ...summary }, null, 2)
    : renderStats(summary, since, values.since)
  process.stdout.write(`${text}\n`)
  return EXIT.ok
}
