/** Status changes and plans on Postgres: as lifecycle.ts and plan.ts. */
import { and, asc, eq, sql } from 'drizzle-orm'
import { DependencyNotDoneError, InvalidTransitionError, PlanError, ValidationError } from '../errors.js'
import { parentsFirst } from '../plan.js'
import { validatePlan } from '../plan-validation.js'
import { taskDependencies, tasks } from '../schema-pg.js'
import { canTransition, FINISHED_STATUSES, TASK_TRANSITIONS } from '../transitions.js'
import {
  type PlanTaskInput,
  TASK_STATUSES,
  type Task,
  type TaskStatus,
  type TransitionOptions,
} from '../types.js'
import { optionalText } from '../validation.js'
import { type PgCtx, record, recordMany, write } from './context.js'
import { requireProject } from './projects.js'
import { requireTask, tasksByIds, unfinishedDependencies } from './task-queries.js'

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

/**
 * As plan.ts, in a few statements rather than one per task (a plan can have thousands): the tasks
 * in batches (parents first, so ids ascend in that order), then parents, edges and events.
 */
export function createPlan(ctx: PgCtx, projectId: number, plan: PlanTaskInput[]): Promise<Task[]> {
  const problems = validatePlan(plan)
  if (problems.length > 0) throw new PlanError(problems)
  return write(ctx, async (tx) => {
    await requireProject(tx, projectId)
    const now = new Date()
    const ordered = parentsFirst(plan)
    const ids = new Map<string, number>()
    for (let start = 0; start < ordered.length; start += BATCH) {
      const batch = ordered.slice(start, start + BATCH)
      const rows = await tx.db
        .insert(tasks)
        .values(
          batch.map((item) => ({
            projectId,
            parentId: null,
            title: item.title.trim(),
            description: item.description ?? null,
            acceptanceCriteria: item.acceptance_criteria ?? [],
            verifyCommand: item.verify_command ?? null,
            priority: item.priority ?? 0,
            budgetTokens: item.budget_tokens ?? null,
            budgetUsd: null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning({ id: tasks.id })
      const batchIds = rows.map((row) => row.id).sort((a, b) => a - b)
      for (const [index, item] of batch.entries()) ids.set(item.key, batchIds[index] as number)
    }
    const idOf = (key: string) => ids.get(key) as number
    const parents = ordered
      .filter((item) => item.parent)
      .map((item) => [idOf(item.key), idOf(item.parent as string)])
    for (let start = 0; start < parents.length; start += BATCH)
      await tx.db.execute(sql`UPDATE tasks SET parent_id = (pair->>1)::int
        FROM json_array_elements(${JSON.stringify(parents.slice(start, start + BATCH))}::json) AS pair
        WHERE tasks.id = (pair->>0)::int`)
    const edges = plan.flatMap((item) =>
      [...new Set(item.depends_on ?? [])].map((key) => ({ taskId: idOf(item.key), dependsOnId: idOf(key) })),
    )
    for (let start = 0; start < edges.length; start += BATCH)
      await tx.db
        .insert(taskDependencies)
        .values(edges.slice(start, start + BATCH))
        .onConflictDoNothing()
    const byId = new Map((await tasksByIds(tx, [...ids.values()])).map((task) => [task.id, task]))
    // Events in insertion order, so a subtask's parent is always announced first.
    await recordMany(
      tx,
      [...ids.values()].map((id) => ({ type: 'task.created' as const, task: byId.get(id) as Task })),
      now.getTime(),
    )
    return plan.map((item) => byId.get(idOf(item.key)) as Task)
  })
}

const BATCH = 500
