/** Dependency edges: `taskId` depends on `dependsOn`. Same project, no self-edges, no cycles. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { CycleError, ValidationError } from './errors.js'
import { taskColumns, toTask } from './records.js'
import { taskDependencies, tasks } from './schema.js'
import { requireTask } from './task-queries.js'
import type { Task } from './types.js'
import { requireId } from './validation.js'

export function addDependency(ctx: Ctx, taskId: number, dependsOn: number): void {
  requireId(taskId, 'taskId')
  requireId(dependsOn, 'dependsOn')
  write(ctx, () => {
    const task = requireTask(ctx, taskId)
    const prerequisite = requireTask(ctx, dependsOn)
    if (taskId === dependsOn) throw new ValidationError(`task ${taskId} cannot depend on itself`, 'dependsOn')
    if (task.projectId !== prerequisite.projectId)
      throw new ValidationError(
        `task ${taskId} (project ${task.projectId}) cannot depend on task ${dependsOn} (project ${prerequisite.projectId}): dependencies stay within one project`,
        'dependsOn',
      )
    if (task.dependsOn.includes(dependsOn)) return
    const path = dependencyPath(ctx, dependsOn, taskId)
    if (path) throw new CycleError([taskId, ...path])
    insertEdge(ctx, taskId, dependsOn)
    record(ctx, { type: 'dependency.added', taskId, dependsOn, projectId: task.projectId })
  })
}

export function removeDependency(ctx: Ctx, taskId: number, dependsOn: number): void {
  write(ctx, () => {
    const task = requireTask(ctx, taskId)
    requireTask(ctx, dependsOn)
    const removed = ctx.db
      .delete(taskDependencies)
      .where(and(eq(taskDependencies.taskId, taskId), eq(taskDependencies.dependsOnId, dependsOn)))
      .run()
    if (removed.changes > 0)
      record(ctx, { type: 'dependency.removed', taskId, dependsOn, projectId: task.projectId })
  })
}

/** The tasks `taskId` depends on, ascending id. */
export function getDependencies(ctx: Ctx, taskId: number): Task[] {
  return linkedTasks(ctx, taskId, 'dependencies')
}

/** The tasks that depend on `taskId`, ascending id. */
export function getDependents(ctx: Ctx, taskId: number): Task[] {
  return linkedTasks(ctx, taskId, 'dependents')
}

/** One side of `taskId`'s edges: what it depends on, or what depends on it. */
function linkedTasks(ctx: Ctx, taskId: number, side: 'dependencies' | 'dependents'): Task[] {
  requireTask(ctx, taskId)
  const [select, match] =
    side === 'dependencies'
      ? [taskDependencies.dependsOnId, taskDependencies.taskId]
      : [taskDependencies.taskId, taskDependencies.dependsOnId]
  const ids = ctx.db.select({ id: select }).from(taskDependencies).where(eq(match, taskId))
  return ctx.db
    .select(taskColumns)
    .from(tasks)
    .where(inArray(tasks.id, ids))
    .orderBy(asc(tasks.id))
    .values()
    .map(toTask)
}

export function insertEdge(ctx: Ctx, taskId: number, dependsOn: number): void {
  prepared(ctx, 'dependencies.insert', () =>
    ctx.db
      .insert(taskDependencies)
      .values({ taskId: sql.placeholder('taskId'), dependsOnId: sql.placeholder('dependsOn') })
      .onConflictDoNothing()
      .prepare(),
  ).run({ taskId, dependsOn })
}

/**
 * A chain of dependencies leading from `from` to `to` (`[from, …, to]`), or undefined. A recursive
 * CTE answers whether one exists; only then is the path itself found, breadth-first.
 */
export function dependencyPath(ctx: Ctx, from: number, to: number): number[] | undefined {
  const reachable = ctx.db.get<{ one: number } | undefined>(sql`
    WITH RECURSIVE reach(id) AS (
      SELECT ${from}
      UNION
      SELECT d.depends_on_id FROM task_dependencies d JOIN reach r ON d.task_id = r.id
    )
    SELECT 1 AS one FROM reach WHERE id = ${to} LIMIT 1`)
  if (!reachable) return undefined
  const next = prepared(ctx, 'dependencies.of', () =>
    ctx.db
      .select({ id: taskDependencies.dependsOnId })
      .from(taskDependencies)
      .where(eq(taskDependencies.taskId, sql.placeholder('taskId')))
      .orderBy(asc(taskDependencies.dependsOnId))
      .prepare(),
  )
  const cameFrom = new Map<number, number>([[from, from]])
  const queue = [from]
  for (let index = 0; index < queue.length; index++) {
    const current = queue[index] as number
    if (current === to) {
      const path = [to]
      for (let step = to; step !== from; ) {
        step = cameFrom.get(step) as number
        path.unshift(step)
      }
      return path
    }
    for (const { id } of next.all({ taskId: current })) {
      if (cameFrom.has(id)) continue
      cameFrom.set(id, current)
      queue.push(id)
    }
  }
  return undefined
}
