/** Creating, editing, deleting tasks and their dependency edges on Postgres: as tasks.ts, dependencies.ts. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { CycleError, NotFoundError, ValidationError } from '../errors.js'
import { taskDependencies, tasks } from '../schema-pg.js'
import type { TaskValues } from '../tasks.js'
import type { NewTask, Task, TaskPatch, Usage } from '../types.js'
import {
  checkAmount,
  optionalAmount,
  optionalCriteria,
  optionalPriority,
  optionalText,
  requireId,
  requireText,
} from '../validation.js'
import { type PgCtx, record, write } from './context.js'
import { must, requireProject } from './projects.js'
import { taskColumns, toTask } from './records.js'
import { getTask, requireTask } from './task-queries.js'

export async function insertTask(ctx: PgCtx, values: TaskValues, at: Date): Promise<number> {
  const [row] = await ctx.db
    .insert(tasks)
    .values({ ...values, createdAt: at, updatedAt: at })
    .returning({ id: tasks.id })
  return must(row).id
}

export async function insertEdge(ctx: PgCtx, taskId: number, dependsOn: number): Promise<void> {
  await ctx.db.insert(taskDependencies).values({ taskId, dependsOnId: dependsOn }).onConflictDoNothing()
}

export function createTask(ctx: PgCtx, input: NewTask): Promise<Task> {
  const projectId = requireId(input.projectId, 'projectId')
  const values: TaskValues = {
    projectId,
    parentId: input.parentId == null ? null : requireId(input.parentId, 'parentId'),
    title: requireText(input.title, 'title', 'task'),
    description: optionalText(input.description, 'description') ?? null,
    acceptanceCriteria: optionalCriteria(input.acceptanceCriteria) ?? [],
    verifyCommand: optionalText(input.verifyCommand, 'verifyCommand') ?? null,
    priority: optionalPriority(input.priority) ?? 0,
    budgetTokens: optionalAmount(input.budgetTokens, 'budgetTokens', true) ?? null,
    budgetUsd: optionalAmount(input.budgetUsd, 'budgetUsd') ?? null,
  }
  if (input.dependsOn !== undefined && !Array.isArray(input.dependsOn))
    throw new ValidationError('dependsOn must be a list of task ids', 'dependsOn')
  const dependsOn = [...new Set((input.dependsOn ?? []).map((id) => requireId(id, 'dependsOn')))]
  return write(ctx, async (tx) => {
    await requireProject(tx, projectId)
    if (values.parentId !== null) await checkParent(tx, projectId, values.parentId)
    await checkSameProject(tx, projectId, dependsOn)
    const now = new Date()
    const id = await insertTask(tx, values, now)
    for (const prerequisite of dependsOn) await insertEdge(tx, id, prerequisite)
    const task = await requireTask(tx, id)
    await record(tx, { type: 'task.created', task }, now.getTime())
    return task
  })
}

export function updateTask(ctx: PgCtx, id: number, patch: TaskPatch): Promise<Task> {
  const changes: Partial<typeof tasks.$inferInsert> = {}
  if (patch.title !== undefined) changes.title = requireText(patch.title, 'title', 'task')
  if (patch.description !== undefined) changes.description = optionalText(patch.description, 'description')
  if (patch.acceptanceCriteria !== undefined)
    changes.acceptanceCriteria = optionalCriteria(patch.acceptanceCriteria)
  if (patch.verifyCommand !== undefined)
    changes.verifyCommand = optionalText(patch.verifyCommand, 'verifyCommand')
  if (patch.priority !== undefined) changes.priority = optionalPriority(patch.priority)
  if (patch.budgetTokens !== undefined)
    changes.budgetTokens = optionalAmount(patch.budgetTokens, 'budgetTokens', true)
  if (patch.budgetUsd !== undefined) changes.budgetUsd = optionalAmount(patch.budgetUsd, 'budgetUsd')
  if (patch.resultSummary !== undefined)
    changes.resultSummary = optionalText(patch.resultSummary, 'resultSummary')
  if (patch.parentId !== undefined)
    changes.parentId = patch.parentId === null ? null : requireId(patch.parentId, 'parentId')
  return write(ctx, async (tx) => {
    const current = await requireTask(tx, id)
    if (changes.parentId != null) {
      await checkParent(tx, current.projectId, changes.parentId)
      await checkNotDescendant(tx, id, changes.parentId)
    }
    const now = new Date()
    await tx.db
      .update(tasks)
      .set({ ...changes, updatedAt: now })
      .where(eq(tasks.id, id))
    const task = await requireTask(tx, id)
    await record(tx, { type: 'task.updated', task }, now.getTime())
    return task
  })
}

export function deleteTask(ctx: PgCtx, id: number): Promise<void> {
  return write(ctx, async (tx) => {
    const task = await requireTask(tx, id)
    const now = new Date()
    const children = await tx.db
      .update(tasks)
      .set({ parentId: task.parentId, updatedAt: now })
      .where(eq(tasks.parentId, id))
      .returning({ id: tasks.id })
    for (const child of children.sort((a, b) => a.id - b.id))
      await record(tx, { type: 'task.updated', task: await requireTask(tx, child.id) })
    await tx.db.delete(tasks).where(eq(tasks.id, id))
    await record(tx, { type: 'task.deleted', taskId: id, projectId: task.projectId }, now.getTime())
  })
}

export function addTaskUsage(ctx: PgCtx, id: number, usage: Usage): Promise<Task> {
  const tokens = checkAmount(usage.tokens, 'tokens', true)
  const costUsd = checkAmount(usage.costUsd, 'costUsd')
  return write(ctx, async (tx) => {
    const now = new Date()
    const updated = await tx.db
      .update(tasks)
      .set({
        tokensUsed: sql`${tasks.tokensUsed} + ${tokens}`,
        costUsd: sql`${tasks.costUsd} + ${costUsd}::float8`,
        updatedAt: now,
      })
      .where(eq(tasks.id, id))
      .returning({ id: tasks.id })
    if (updated.length === 0) throw new NotFoundError('task', id)
    const task = await requireTask(tx, id)
    await record(tx, { type: 'task.updated', task }, now.getTime())
    return task
  })
}

async function checkParent(ctx: PgCtx, projectId: number, parentId: number): Promise<void> {
  const parent = await getTask(ctx, parentId)
  if (!parent) throw new NotFoundError('task', parentId)
  if (parent.projectId !== projectId)
    throw new ValidationError(
      `parent task ${parentId} is in project ${parent.projectId}, not ${projectId}: a subtask stays in its parent's project`,
      'parentId',
    )
}

async function checkNotDescendant(ctx: PgCtx, id: number, parentId: number): Promise<void> {
  const seen = new Set<number>()
  for (let current: number | null = parentId; current !== null && !seen.has(current); ) {
    if (current === id)
      throw new ValidationError(
        `task ${parentId} cannot be the parent of task ${id}: it is ${parentId === id ? 'the task itself' : 'one of its subtasks'}`,
        'parentId',
      )
    seen.add(current)
    current = (await getTask(ctx, current))?.parentId ?? null
  }
}

async function checkSameProject(ctx: PgCtx, projectId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  const found = new Map<number, number>()
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await ctx.db
      .select({ id: tasks.id, projectId: tasks.projectId })
      .from(tasks)
      .where(inArray(tasks.id, ids.slice(start, start + 500)))
    for (const row of rows) found.set(row.id, row.projectId)
  }
  for (const id of ids) {
    const owner = found.get(id)
    if (owner === undefined) throw new NotFoundError('task', id)
    if (owner !== projectId)
      throw new ValidationError(
        `dependsOn: task ${id} is in project ${owner}, not ${projectId}; dependencies stay within one project`,
        'dependsOn',
      )
  }
}

// ---- dependencies -----------------------------------------------------------------------------

export function addDependency(ctx: PgCtx, taskId: number, dependsOn: number): Promise<void> {
  requireId(taskId, 'taskId')
  requireId(dependsOn, 'dependsOn')
  return write(ctx, async (tx) => {
    const task = await requireTask(tx, taskId)
    const prerequisite = await requireTask(tx, dependsOn)
    if (taskId === dependsOn) throw new ValidationError(`task ${taskId} cannot depend on itself`, 'dependsOn')
    if (task.projectId !== prerequisite.projectId)
      throw new ValidationError(
        `task ${taskId} (project ${task.projectId}) cannot depend on task ${dependsOn} (project ${prerequisite.projectId}): dependencies stay within one project`,
        'dependsOn',
      )
    if (task.dependsOn.includes(dependsOn)) return
    const path = await dependencyPath(tx, dependsOn, taskId)
    if (path) throw new CycleError([taskId, ...path])
    await insertEdge(tx, taskId, dependsOn)
    await record(tx, { type: 'dependency.added', taskId, dependsOn, projectId: task.projectId })
  })
}

export function removeDependency(ctx: PgCtx, taskId: number, dependsOn: number): Promise<void> {
  return write(ctx, async (tx) => {
    const task = await requireTask(tx, taskId)
    await requireTask(tx, dependsOn)
    const removed = await tx.db
      .delete(taskDependencies)
      .where(and(eq(taskDependencies.taskId, taskId), eq(taskDependencies.dependsOnId, dependsOn)))
      .returning({ taskId: taskDependencies.taskId })
    if (removed.length > 0)
      await record(tx, { type: 'dependency.removed', taskId, dependsOn, projectId: task.projectId })
  })
}

export function getDependencies(ctx: PgCtx, taskId: number): Promise<Task[]> {
  return linkedTasks(ctx, taskId, 'dependencies')
}

export function getDependents(ctx: PgCtx, taskId: number): Promise<Task[]> {
  return linkedTasks(ctx, taskId, 'dependents')
}

async function linkedTasks(ctx: PgCtx, taskId: number, side: 'dependencies' | 'dependents'): Promise<Task[]> {
  await requireTask(ctx, taskId)
  const [select, match] =
    side === 'dependencies'
      ? [taskDependencies.dependsOnId, taskDependencies.taskId]
      : [taskDependencies.taskId, taskDependencies.dependsOnId]
  const ids = ctx.db.select({ id: select }).from(taskDependencies).where(eq(match, taskId))
  const rows = await ctx.db
    .select(taskColumns)
    .from(tasks)
    .where(inArray(tasks.id, ids))
    .orderBy(asc(tasks.id))
  return rows.map(toTask)
}

/** A chain of dependencies leading from `from` to `to` (`[from, …, to]`), or undefined. */
async function dependencyPath(ctx: PgCtx, from: number, to: number): Promise<number[] | undefined> {
  const reachable = await ctx.db.execute(sql`
    WITH RECURSIVE reach(id) AS (
      SELECT ${from}::int
      UNION
      SELECT d.depends_on_id FROM task_dependencies d JOIN reach r ON d.task_id = r.id
    )
    SELECT 1 AS one FROM reach WHERE id = ${to} LIMIT 1`)
  if (reachable.rows.length === 0) return undefined
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
    const next = await ctx.db
      .select({ id: taskDependencies.dependsOnId })
      .from(taskDependencies)
      .where(eq(taskDependencies.taskId, current))
      .orderBy(asc(taskDependencies.dependsOnId))
    for (const { id } of next) {
      if (cameFrom.has(id)) continue
      cameFrom.set(id, current)
      queue.push(id)
    }
  }
  return undefined
}
