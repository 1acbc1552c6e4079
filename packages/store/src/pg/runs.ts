/** Runs, the change log and usage on Postgres: as runs.ts, event-log.ts and usage.ts. */
import { and, asc, desc, eq, gt, type SQL, sql } from 'drizzle-orm'
import { NotFoundError, ValidationError } from '../errors.js'
import { toRun } from '../records.js'
import { toEvent } from '../row-values.js'
import { events, runs } from '../schema-pg.js'
import {
  type EventFilter,
  type ModelUsage,
  type NewRun,
  type ProjectUsage,
  RUN_STATUSES,
  type Run,
  type RunFilter,
  type RunOutcome,
  type StoredEvent,
  type UsageFilter,
  type UsageSummary,
  type UsageTotals,
} from '../types.js'
import { sinceMs, usageRoot } from '../usage.js'
import { checkAmount, optionalText, requireId, requireText } from '../validation.js'
import { type PgCtx, read, record, write } from './context.js'
import { must, requireProject } from './projects.js'
import { isRowId } from './records.js'
import { requireTask } from './task-queries.js'

export function startRun(ctx: PgCtx, input: NewRun): Promise<Run> {
  const model = requireText(input.model, 'model', 'run')
  return write(ctx, async (tx) => {
    let projectId =
      input.projectId == null ? null : (await requireProject(tx, requireId(input.projectId, 'projectId'))).id
    const taskId = input.taskId == null ? null : requireId(input.taskId, 'taskId')
    if (taskId !== null) {
      const task = await requireTask(tx, taskId)
      if (projectId !== null && task.projectId !== projectId)
        throw new ValidationError(
          `task ${taskId} belongs to project ${task.projectId}, not ${projectId}; omit projectId or pass the task's project`,
          'taskId',
        )
      projectId = task.projectId
    }
    const now = new Date()
    const [row] = await tx.db.insert(runs).values({ projectId, taskId, model, startedAt: now }).returning()
    const run = toRun(must(row))
    await record(tx, { type: 'run.started', run }, now.getTime())
    return run
  })
}

export function finishRun(ctx: PgCtx, id: number, outcome: RunOutcome): Promise<Run> {
  if (outcome.status === ('running' as string) || !RUN_STATUSES.includes(outcome.status))
    throw new ValidationError(
      `status must be one of ${RUN_STATUSES.filter((s) => s !== 'running').join(', ')}, got ${JSON.stringify(outcome.status)}`,
      'status',
    )
  const changes: Partial<typeof runs.$inferInsert> = { status: outcome.status }
  if (outcome.inputTokens !== undefined)
    changes.inputTokens = checkAmount(outcome.inputTokens, 'inputTokens', true)
  if (outcome.outputTokens !== undefined)
    changes.outputTokens = checkAmount(outcome.outputTokens, 'outputTokens', true)
  if (outcome.cacheReadTokens !== undefined)
    changes.cacheReadTokens = checkAmount(outcome.cacheReadTokens, 'cacheReadTokens', true)
  if (outcome.cacheWriteTokens !== undefined)
    changes.cacheWriteTokens = checkAmount(outcome.cacheWriteTokens, 'cacheWriteTokens', true)
  if (outcome.costUsd !== undefined) changes.costUsd = checkAmount(outcome.costUsd, 'costUsd')
  if (outcome.turns !== undefined) changes.turns = checkAmount(outcome.turns, 'turns', true)
  if (outcome.finalText !== undefined) changes.finalText = optionalText(outcome.finalText, 'finalText')
  if (outcome.error !== undefined) changes.error = optionalText(outcome.error, 'error')
  return write(ctx, async (tx) => {
    const current = await getRun(tx, id)
    if (!current) throw new NotFoundError('run', id)
    if (current.status !== 'running')
      throw new ValidationError(
        `run ${id} already finished (${current.status}); a run finishes once`,
        'status',
      )
    const now = new Date()
    const [row] = await tx.db
      .update(runs)
      .set({ ...changes, endedAt: now })
      .where(eq(runs.id, id))
      .returning()
    const run = toRun(must(row))
    await record(tx, { type: 'run.finished', run }, now.getTime())
    return run
  })
}

export async function getRun(ctx: PgCtx, id: number): Promise<Run | undefined> {
  if (!isRowId(id)) return undefined
  const [row] = await ctx.db.select().from(runs).where(eq(runs.id, id))
  return row ? toRun(row) : undefined
}

export async function listRuns(ctx: PgCtx, filter: RunFilter = {}): Promise<Run[]> {
  const conditions: (SQL | undefined)[] = []
  if (filter.projectId !== undefined) conditions.push(eq(runs.projectId, filter.projectId))
  if (filter.taskId !== undefined) conditions.push(eq(runs.taskId, filter.taskId))
  const query = ctx.db
    .select()
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.id))
  const rows = filter.limit === undefined ? await query : await query.limit(Math.max(0, filter.limit))
  return rows.map(toRun)
}

export async function listEvents(ctx: PgCtx, filter: EventFilter = {}): Promise<StoredEvent[]> {
  const conditions: (SQL | undefined)[] = []
  if (filter.projectId !== undefined) conditions.push(eq(events.projectId, filter.projectId))
  if (filter.taskId !== undefined) conditions.push(eq(events.taskId, filter.taskId))
  if (filter.afterId !== undefined) conditions.push(gt(events.id, filter.afterId))
  const query = ctx.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.id))
  const rows = filter.limit === undefined ? await query : await query.limit(Math.max(0, filter.limit))
  return rows.map(toEvent)
}

/** A workspace column that is `root` or lies below it. */
const inRoot = (column: SQL, root: string) =>
  sql`(${column} = ${root} OR left(${column}, ${`${root}/`.length}) = ${`${root}/`})`

/** The same entries as usage.ts (see there for what counts), in Postgres's SQL; `root`: UsageFilter.under. */
const entries = (since: Date, root: string | undefined) => sql`WITH entries AS (
  SELECT r.model AS model, r.project_id AS project_id, r.input_tokens AS input_tokens,
    r.output_tokens AS output_tokens, r.cache_read_tokens AS cache_read_tokens,
    r.cache_write_tokens AS cache_write_tokens, r.cost_usd AS cost_usd, 1 AS runs
  FROM runs AS r${root === undefined ? sql`` : sql` LEFT JOIN projects AS rp ON rp.id = r.project_id`}
  WHERE r.started_at >= ${since}${root === undefined ? sql`` : sql` AND (rp.workspace IS NULL OR ${inRoot(sql`rp.workspace`, root)})`}
  UNION ALL
  SELECT COALESCE(m.model, s.model, 'unknown'), s.project_id, m.input_tokens, m.output_tokens,
    m.cache_read_tokens, m.cache_write_tokens, m.cost_usd,
    CASE WHEN m.role = 'user' AND EXISTS (
      SELECT 1 FROM json_array_elements(m.parts) AS p WHERE p->>'type' = 'text'
    ) THEN 1 ELSE 0 END
  FROM messages AS m JOIN sessions AS s ON s.id = m.session_id
  WHERE m.created_at >= ${since}
    AND (m.created_at > s.created_at
      OR (m.created_at = s.created_at AND s.parent_id IS NULL AND s.forked_from_checkpoint_id IS NULL))
    AND NOT (s.project_id IS NOT NULL AND COALESCE(s.title, '') ~ '^task [0-9].*: ')${root === undefined ? sql`` : sql` AND ${inRoot(sql`s.workspace`, root)}`}
)`

const SUMS = sql.raw(`COALESCE(SUM(e.input_tokens), 0)::float8 AS "inputTokens",
  COALESCE(SUM(e.output_tokens), 0)::float8 AS "outputTokens",
  COALESCE(SUM(e.cache_read_tokens), 0)::float8 AS "cacheReadTokens",
  COALESCE(SUM(e.cache_write_tokens), 0)::float8 AS "cacheWriteTokens",
  COALESCE(SUM(e.cost_usd), 0)::float8 AS "costUsd", COALESCE(SUM(e.runs), 0)::float8 AS runs`)
const SPENT = sql.raw(
  'SUM(e.input_tokens) + SUM(e.output_tokens) > 0 OR SUM(e.cost_usd) > 0 OR SUM(e.runs) > 0',
)

export async function usageSummary(ctx: PgCtx, filter: UsageFilter = {}): Promise<UsageSummary> {
  const since = new Date(sinceMs(filter.since))
  const root = usageRoot(filter.under)
  return read(ctx, async (tx) => {
    const total = await tx.db.execute<UsageTotals & Record<string, unknown>>(
      sql`${entries(since, root)} SELECT ${SUMS} FROM entries AS e`,
    )
    const byModel = await tx.db.execute<ModelUsage & Record<string, unknown>>(
      sql`${entries(since, root)} SELECT e.model AS model, ${SUMS} FROM entries AS e GROUP BY e.model
        HAVING ${SPENT} ORDER BY "costUsd" DESC, SUM(e.input_tokens) + SUM(e.output_tokens) DESC, e.model`,
    )
    const byProject = await tx.db.execute<ProjectUsage & Record<string, unknown>>(
      sql`${entries(since, root)} SELECT e.project_id AS "projectId", p.name AS name, ${SUMS}
        FROM entries AS e JOIN projects AS p ON p.id = e.project_id GROUP BY e.project_id, p.name HAVING ${SPENT}
        ORDER BY "costUsd" DESC, SUM(e.input_tokens) + SUM(e.output_tokens) DESC, e.project_id`,
    )
    return {
      total: { ...(total.rows[0] as UsageTotals) },
      byModel: byModel.rows.map((row) => ({ ...row })),
      byProject: byProject.rows.map((row) => ({ ...row })),
    }
  })
}
