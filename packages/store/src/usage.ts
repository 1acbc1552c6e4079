/**
 * What has been spent: tokens, cost and runs, in total, by model and by project, from the runs of
 * project work (planning and task runs) and the messages of sessions.
 *
 * - A project's task runs are sessions too (`task <id>: <title>`, attached to the project): their
 *   spending is counted once, from the run, and those sessions' messages are left out.
 * - A fork's copied messages keep the original's `created_at`, not later than the fork itself: only
 *   messages after their session's creation count (or at it, for a session that is not a fork),
 *   so nothing is counted twice.
 * - A session's runs are its prompts: user messages with text (not compaction summaries).
 */
import type Database from 'better-sqlite3'
import { type Ctx, prepared, read } from './context.js'
import { ValidationError } from './errors.js'
import { workspacePath } from './sessions.js'
import type { ModelUsage, ProjectUsage, UsageFilter, UsageSummary, UsageTotals } from './types.js'

/** A stored workspace column that is `:root` or lies below it (`:rootPrefix` = root + '/'). */
const inRoot = (column: string) =>
  `(${column} = :root OR substr(${column}, 1, length(:rootPrefix)) = :rootPrefix)`

/** What counts (see above); `byRoot` keeps only what lies under `:root` (UsageFilter.under). */
const entries = (byRoot: boolean) => `WITH entries AS (
  SELECT r.model AS model, r.project_id AS project_id, r.input_tokens AS input_tokens,
    r.output_tokens AS output_tokens, r.cache_read_tokens AS cache_read_tokens,
    r.cache_write_tokens AS cache_write_tokens, r.cost_usd AS cost_usd, 1 AS runs
  FROM runs AS r${byRoot ? ' LEFT JOIN projects AS rp ON rp.id = r.project_id' : ''}
  WHERE r.started_at >= :since${byRoot ? ` AND (rp.workspace IS NULL OR ${inRoot('rp.workspace')})` : ''}
  UNION ALL
  SELECT COALESCE(m.model, s.model, 'unknown'), s.project_id, m.input_tokens, m.output_tokens,
    m.cache_read_tokens, m.cache_write_tokens, m.cost_usd,
    CASE WHEN m.role = 'user' AND EXISTS (
      SELECT 1 FROM json_each(m.parts) AS p WHERE json_extract(p.value, '$.type') = 'text'
    ) THEN 1 ELSE 0 END
  FROM messages AS m JOIN sessions AS s ON s.id = m.session_id
  WHERE m.created_at >= :since
    AND (m.created_at > s.created_at
      OR (m.created_at = s.created_at AND s.parent_id IS NULL AND s.forked_from_checkpoint_id IS NULL))
    AND NOT (s.project_id IS NOT NULL AND COALESCE(s.title, '') GLOB 'task [0-9]*: *')${byRoot ? `\n    AND ${inRoot('s.workspace')}` : ''}
)`

const SUMS = `COALESCE(SUM(e.input_tokens), 0) AS inputTokens,
  COALESCE(SUM(e.output_tokens), 0) AS outputTokens,
  COALESCE(SUM(e.cache_read_tokens), 0) AS cacheReadTokens,
  COALESCE(SUM(e.cache_write_tokens), 0) AS cacheWriteTokens, COALESCE(SUM(e.cost_usd), 0) AS costUsd,
  COALESCE(SUM(e.runs), 0) AS runs`
const SPENT = 'SUM(e.input_tokens) + SUM(e.output_tokens) > 0 OR SUM(e.cost_usd) > 0 OR SUM(e.runs) > 0'

const TOTAL = (byRoot: boolean) => `${entries(byRoot)} SELECT ${SUMS} FROM entries AS e`
const BY_MODEL = (byRoot: boolean) => `${entries(byRoot)} SELECT e.model AS model, ${SUMS}
  FROM entries AS e GROUP BY e.model
  HAVING ${SPENT} ORDER BY costUsd DESC, inputTokens + outputTokens DESC, e.model`
const BY_PROJECT = (byRoot: boolean) => `${entries(byRoot)} SELECT e.project_id AS projectId, p.name AS name,
  ${SUMS} FROM entries AS e JOIN projects AS p ON p.id = e.project_id GROUP BY e.project_id HAVING ${SPENT}
  ORDER BY costUsd DESC, inputTokens + outputTokens DESC, e.project_id`

function statement(ctx: Ctx, key: string, text: string): Database.Statement {
  return prepared(ctx, key, () => ctx.sqlite.prepare(text))
}

/** Spending since `filter.since` (an ISO-8601 time; everything when absent). */
export function usageSummary(ctx: Ctx, filter: UsageFilter = {}): UsageSummary {
  const since = sinceMs(filter.since)
  const root = usageRoot(filter.under)
  const byRoot = root !== undefined
  const params = byRoot ? { since, root, rootPrefix: `${root}/` } : { since }
  const key = (name: string) => `usage.${name}${byRoot ? ':root' : ''}`
  return read(ctx, () => {
    const total = statement(ctx, key('total'), TOTAL(byRoot)).get(params) as UsageTotals
    const byModel = statement(ctx, key('byModel'), BY_MODEL(byRoot)).all(params) as ModelUsage[]
    const byProject = statement(ctx, key('byProject'), BY_PROJECT(byRoot)).all(params) as ProjectUsage[]
    return { total: { ...total }, byModel, byProject }
  })
}

/** `under` without its trailing slashes; undefined when it keeps everything (absent, or `/`). */
export function usageRoot(under: string | undefined): string | undefined {
  if (under === undefined) return undefined
  const root = workspacePath(under).replace(/\/+$/, '')
  return root === '' ? undefined : root
}

export function sinceMs(since: string | undefined): number {
  if (since === undefined) return 0
  const ms = typeof since === 'string' ? Date.parse(since) : Number.NaN
  if (Number.isNaN(ms))
    throw new ValidationError(
      `since must be an ISO-8601 time such as 2025-01-31T00:00:00Z, got ${JSON.stringify(since)}`,
      'since',
    )
  return ms
}
