/** Status changes, checked against TASK_TRANSITIONS and the dependency gate. */
import { and, asc, eq } from 'drizzle-orm'
import { type Ctx, record, write } from './context.js'
import { DependencyNotDoneError, InvalidTransitionError, ValidationError } from './errors.js'
import { requireProject } from './projects.js'
import { tasks } from './schema.js'
import { requireTask, unfinishedDependencies } from './task-queries.js'
import { canTransition, FINISHED_STATUSES, TASK_TRANSITIONS } from './transitions.js'
import { TASK_STATUSES, type Task, type TaskStatus, type TransitionOptions } from './types.js'
import { optionalText } from './validation.js'

export function transitionTask(ctx: Ctx, id: number, to: TaskStatus, options: TransitionOptions = {}): Task {
  if (!TASK_STATUSES.includes(to))
    throw new ValidationError(
      `status must be one of ${TASK_STATUSES.join(', ')}, got ${JSON.stringify(to)}`,
      'status',
    )
  const summary = optionalText(options.summary, 'summary')
  const reason = optionalText(options.reason, 'reason')
  return write(ctx, () => {
    const task = requireTask(ctx, id)
    if (!canTransition(task.status, to))
      throw new InvalidTransitionError(id, task.status, to, TASK_TRANSITIONS[task.status])
    if (to === 'in_progress') {
      const blockers = unfinishedDependencies(ctx, id)
      if (blockers.length > 0) throw new DependencyNotDoneError(id, blockers)
    }
    return applyTransition(ctx, task, to, { summary, reason })
  })
}

/** Tasks left `in_progress` by a process that died go back to `pending`. */
export function resetStaleTasks(ctx: Ctx, projectId: number): Task[] {
  return write(ctx, () => {
    requireProject(ctx, projectId)
    const stale = ctx.db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), eq(tasks.status, 'in_progress')))
      .orderBy(asc(tasks.id))
      .all()
    return stale.map(({ id }) => applyTransition(ctx, requireTask(ctx, id), 'pending', {}))
  })
}

/** Writes the new status and its timestamps; the caller holds the transaction and checked the move. */
function applyTransition(
  ctx: Ctx,
  task: Task,
  to: TaskStatus,
  options: { summary?: string | null | undefined; reason?: string | null | undefined },
): Task {
  const now = new Date()
  const changes: Partial<typeof tasks.$inferInsert> = { status: to, updatedAt: now }
  if (to === 'in_progress') {
    changes.startedAt = now
    changes.finishedAt = null
    changes.failureReason = null
  }
  if (to === 'pending') {
    changes.finishedAt = null
    changes.failureReason = null
  }
  if (FINISHED_STATUSES.includes(to)) changes.finishedAt = now
  if (options.summary !== undefined) changes.resultSummary = options.summary
  if (options.reason !== undefined) changes.failureReason = options.reason
  ctx.db.update(tasks).set(changes).where(eq(tasks.id, task.id)).run()
  const updated = requireTask(ctx, task.id)
  record(ctx, { type: 'task.status_changed', task: updated, from: task.status, to }, now.getTime())
  return updated
}
