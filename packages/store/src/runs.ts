import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { NotFoundError, ValidationError } from './errors.js'
import { requireProject } from './projects.js'
import { toRun } from './records.js'
import { runs } from './schema.js'
import { requireTask } from './task-queries.js'
import { type NewRun, RUN_STATUSES, type Run, type RunFilter, type RunOutcome } from './types.js'
import { checkAmount, optionalText, requireId, requireText } from './validation.js'

export function startRun(ctx: Ctx, input: NewRun): Run {
  const model = requireText(input.model, 'model', 'run')
  return write(ctx, () => {
    let projectId =
      input.projectId == null ? null : requireProject(ctx, requireId(input.projectId, 'projectId')).id
    const taskId = input.taskId == null ? null : requireId(input.taskId, 'taskId')
    if (taskId !== null) {
      const task = requireTask(ctx, taskId)
      if (projectId !== null && task.projectId !== projectId)
        throw new ValidationError(
          `task ${taskId} belongs to project ${task.projectId}, not ${projectId}; omit projectId or pass the task's project`,
          'taskId',
        )
      projectId = task.projectId
    }
    const now = new Date()
    const insert = prepared(ctx, 'runs.insert', () =>
      ctx.db
        .insert(runs)
        .values({
          projectId: sql.placeholder('projectId'),
          taskId: sql.placeholder('taskId'),
          model: sql.placeholder('model'),
          startedAt: sql.placeholder('startedAt'),
        })
        .returning()
        .prepare(),
    )
    const row = insert.get({ projectId, taskId, model, startedAt: now })
    if (!row) throw new Error('inserting a run returned no row')
    const run = toRun(row)
    record(ctx, { type: 'run.started', run }, now.getTime())
    return run
  })
}

export function finishRun(ctx: Ctx, id: number, outcome: RunOutcome): Run {
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
  return write(ctx, () => {
    const current = getRun(ctx, id)
    if (!current) throw new NotFoundError('run', id)
    if (current.status !== 'running')
      throw new ValidationError(
        `run ${id} already finished (${current.status}); a run finishes once`,
        'status',
      )
    const now = new Date()
    const run = toRun(
      ctx.db
        .update(runs)
        .set({ ...changes, endedAt: now })
        .where(eq(runs.id, id))
        .returning()
        .get() as typeof runs.$inferSelect,
    )
    record(ctx, { type: 'run.finished', run }, now.getTime())
    return run
  })
}

export function getRun(ctx: Ctx, id: number): Run | undefined {
  const statement = prepared(ctx, 'runs.byId', () =>
    ctx.db
      .select()
      .from(runs)
      .where(eq(runs.id, sql.placeholder('id')))
      .prepare(),
  )
  const row = statement.get({ id })
  return row ? toRun(row) : undefined
}

/** Newest first. */
export function listRuns(ctx: Ctx, filter: RunFilter = {}): Run[] {
  const conditions: (SQL | undefined)[] = []
  if (filter.projectId !== undefined) conditions.push(eq(runs.projectId, filter.projectId))
  if (filter.taskId !== undefined) conditions.push(eq(runs.taskId, filter.taskId))
  const query = ctx.db
    .select()
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.id))
  const rows = filter.limit === undefined ? query.all() : query.limit(Math.max(0, filter.limit)).all()
  return rows.map(toRun)
}
