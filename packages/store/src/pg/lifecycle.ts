/** Status changes and plans on Postgres: as lifecycle.ts and plan.ts. */
import { and, asc, eq } from 'drizzle-orm'
import { DependencyNotDoneError, InvalidTransitionError, PlanError, ValidationError } from '../errors.js'
import { parentsFirst } from '../plan.js'
import { validatePlan } from '../plan-validation.js'
import { tasks } from '../schema-pg.js'
import { canTransition, FINISHED_STATUSES, TASK_TRANSITIONS } from '../transitions.js'
import {
  type PlanTaskInput,
  TASK_STATUSES,
  type Task,
  type TaskStatus,
  type TransitionOptions,
} from '../types.js'
import { optionalText } from '../validation.js'
import { type PgCtx, record, write } from './context.js'
import { requireProject } from './projects.js'
import { requireTask, tasksByIds, unfinishedDependencies } from './task-queries.js'
import { insertEdge, insertTask } from './tasks.js'

export function transitionTask(
  ctx: PgCtx,
  id: number,
  to: TaskStatus,
  options: TransitionOptions = {},
): Promise<Task> {
  if (!TASK_STATUSES.includes(to))
    throw new ValidationError(
      `status must be one of ${TASK_STATUSES.join(', ')}, got ${JSON.stringify(to)}`,
      'status',
    )
  const summary = optionalText(options.summary, 'summary')
  const reason = optionalText(options.reason, 'reason')
  return write(ctx, async (tx) => {
    const task = await requireTask(tx, id)
    if (!canTransition(task.status, to))
      throw new InvalidTransitionError(id, task.status, to, TASK_TRANSITIONS[task.status])
    if (to === 'in_progress') {
      const blockers = await unfinishedDependencies(tx, id)
      if (blockers.length > 0) throw new DependencyNotDoneError(id, blockers)
    }
    return applyTransition(tx, task, to, { summary, reason })
  })
}

export function resetStaleTasks(ctx: PgCtx, projectId: number): Promise<Task[]> {
  return write(ctx, async (tx) => {
    await requireProject(tx, projectId)
    const stale = await tx.db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), eq(tasks.status, 'in_progress')))
      .orderBy(asc(tasks.id))
    const reset: Task[] = []
    for (const { id } of stale)
      reset.push(await applyTransition(tx, await requireTask(tx, id), 'pending', {}))
    return reset
  })
}

async function applyTransition(
  ctx: PgCtx,
  task: Task,
  to: TaskStatus,
  options: { summary?: string | null | undefined; reason?: string | null | undefined },
): Promise<Task> {
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
  await ctx.db.update(tasks).set(changes).where(eq(tasks.id, task.id))
  const updated = await requireTask(ctx, task.id)
  await record(ctx, { type: 'task.status_changed', task: updated, from: task.status, to }, now.getTime())
  return updated
}

export function createPlan(ctx: PgCtx, projectId: number, plan: PlanTaskInput[]): Promise<Task[]> {
  const problems = validatePlan(plan)
  if (problems.length > 0) throw new PlanError(problems)
  return write(ctx, async (tx) => {
    await requireProject(tx, projectId)
    const now = new Date()
    const ids = new Map<string, number>()
    for (const item of parentsFirst(plan)) {
      ids.set(
        item.key,
        await insertTask(
          tx,
          {
            projectId,
            parentId: item.parent ? (ids.get(item.parent) ?? null) : null,
            title: item.title.trim(),
            description: item.description ?? null,
            acceptanceCriteria: item.acceptance_criteria ?? [],
            verifyCommand: item.verify_command ?? null,
            priority: item.priority ?? 0,
            budgetTokens: item.budget_tokens ?? null,
            budgetUsd: null,
          },
          now,
        ),
      )
    }
    const idOf = (key: string) => ids.get(key) as number
    for (const item of plan)
      for (const key of new Set(item.depends_on ?? [])) await insertEdge(tx, idOf(item.key), idOf(key))
    const byId = new Map((await tasksByIds(tx, [...ids.values()])).map((task) => [task.id, task]))
    for (const id of ids.values())
      await record(tx, { type: 'task.created', task: byId.get(id) as Task }, now.getTime())
    return plan.map((item) => byId.get(idOf(item.key)) as Task)
  })
}
