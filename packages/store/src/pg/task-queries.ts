/** Reading tasks on Postgres: as task-queries.ts. */
import { and, asc, desc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { NotFoundError } from '../errors.js'
import { taskDependencies, tasks } from '../schema-pg.js'
import type { Task, TaskFilter, TaskGraph } from '../types.js'
import { type PgCtx, read } from './context.js'
import { requireProject } from './projects.js'
import { isRowId, taskColumns, toTask } from './records.js'

const dependency = alias(tasks, 'dependency')

function isReady(ctx: PgCtx): SQL {
  const unfinished = ctx.db
    .select({ one: sql`1` })
    .from(taskDependencies)
    .innerJoin(dependency, eq(dependency.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, tasks.id), ne(dependency.status, 'done')))
  return sql`${tasks.status} = 'pending' and not exists ${unfinished}`
}

export async function getTask(ctx: PgCtx, id: number): Promise<Task | undefined> {
  if (!isRowId(id)) return undefined
  const [row] = await ctx.db.select(taskColumns).from(tasks).where(eq(tasks.id, id))
  return row ? toTask(row) : undefined
}

export async function requireTask(ctx: PgCtx, id: number): Promise<Task> {
  const task = await getTask(ctx, id)
  if (!task) throw new NotFoundError('task', id)
  return task
}

export async function tasksByIds(ctx: PgCtx, ids: readonly number[]): Promise<Task[]> {
  const found: Task[] = []
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(inArray(tasks.id, ids.slice(start, start + 500)))
    for (const row of rows) found.push(toTask(row))
  }
  return found.sort((a, b) => a.id - b.id)
}

export async function listTasks(ctx: PgCtx, projectId: number, filter: TaskFilter = {}): Promise<Task[]> {
  await requireProject(ctx, projectId)
  const conditions: (SQL | undefined)[] = [eq(tasks.projectId, projectId)]
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status]
    conditions.push(inArray(tasks.status, statuses))
  }
  if (filter.parentId === null) conditions.push(isNull(tasks.parentId))
  else if (filter.parentId !== undefined) conditions.push(eq(tasks.parentId, filter.parentId))
  if (filter.ready) conditions.push(isReady(ctx))
  const rows = await ctx.db
    .select(taskColumns)
    .from(tasks)
    .where(and(...conditions))
    .orderBy(asc(tasks.id))
  return rows.map(toTask)
}

export async function readyTasks(ctx: PgCtx, projectId: number, limit?: number): Promise<Task[]> {
  await requireProject(ctx, projectId)
  const query = ctx.db
    .select(taskColumns)
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), isReady(ctx)))
    .orderBy(desc(tasks.priority), asc(tasks.id))
  const rows = limit === undefined ? await query : await query.limit(Math.max(0, limit))
  return rows.map(toTask)
}

export async function nextReadyTask(ctx: PgCtx, projectId: number): Promise<Task | undefined> {
  return (await readyTasks(ctx, projectId, 1))[0]
}

export async function getGraph(ctx: PgCtx, projectId: number): Promise<TaskGraph> {
  await requireProject(ctx, projectId)
  return read(ctx, async (tx) => {
    const all = (
      await tx.db.select(taskColumns).from(tasks).where(eq(tasks.projectId, projectId)).orderBy(asc(tasks.id))
    ).map(toTask)
    const edges = await tx.db
      .select({ from: taskDependencies.dependsOnId, to: taskDependencies.taskId })
      .from(taskDependencies)
      .innerJoin(tasks, eq(tasks.id, taskDependencies.taskId))
      .where(eq(tasks.projectId, projectId))
      .orderBy(asc(taskDependencies.taskId), asc(taskDependencies.dependsOnId))
    return { tasks: all, edges }
  })
}

export function unfinishedDependencies(
  ctx: PgCtx,
  taskId: number,
): Promise<{ id: number; status: string }[]> {
  return ctx.db
    .select({ id: tasks.id, status: tasks.status })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, taskId), ne(tasks.status, 'done')))
    .orderBy(asc(tasks.id))
}
