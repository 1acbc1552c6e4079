/** Reading tasks: by id, filtered lists, readiness, and the dependency graph. */
import { and, asc, desc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { type Ctx, prepared, read } from './context.js'
import { NotFoundError } from './errors.js'
import { requireProject } from './projects.js'
import { taskColumns, toTask } from './records.js'
import { taskDependencies, tasks } from './schema.js'
import type { Task, TaskFilter, TaskGraph } from './types.js'

const dependency = alias(tasks, 'dependency')

/** True for a task (of the outer query) with a dependency that is not done. */
function hasUnfinishedDependency(ctx: Ctx): SQL {
  return sql`exists ${ctx.db
    .select({ one: sql`1` })
    .from(taskDependencies)
    .innerJoin(dependency, eq(dependency.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, tasks.id), ne(dependency.status, 'done')))}`
}

function isReady(ctx: Ctx): SQL {
  return sql`${tasks.status} = 'pending' and not ${hasUnfinishedDependency(ctx)}`
}

export function getTask(ctx: Ctx, id: number): Task | undefined {
  const statement = prepared(ctx, 'tasks.byId', () =>
    ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(eq(tasks.id, sql.placeholder('id')))
      .prepare(),
  )
  const [row] = statement.values({ id })
  return row ? toTask(row) : undefined
}

export function requireTask(ctx: Ctx, id: number): Task {
  const task = getTask(ctx, id)
  if (!task) throw new NotFoundError('task', id)
  return task
}

/** Tasks by id, in ascending id order; unknown ids are skipped. */
export function tasksByIds(ctx: Ctx, ids: readonly number[]): Task[] {
  const found: Task[] = []
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500)
    const rows = ctx.db.select(taskColumns).from(tasks).where(inArray(tasks.id, chunk)).values()
    for (const row of rows) found.push(toTask(row))
  }
  return found.sort((a, b) => a.id - b.id)
}

/** A project's tasks in ascending id order (creation order), narrowed by `filter`. */
export function listTasks(ctx: Ctx, projectId: number, filter: TaskFilter = {}): Task[] {
  requireProject(ctx, projectId)
  // The whole list (what a project run reads between its tasks): one statement, built once.
  if (filter.status === undefined && filter.parentId === undefined && !filter.ready) {
    const all = prepared(ctx, 'tasks.byProject', () =>
      ctx.db
        .select(taskColumns)
        .from(tasks)
        .where(eq(tasks.projectId, sql.placeholder('projectId')))
        .orderBy(asc(tasks.id))
        .prepare(),
    )
    return all.values({ projectId }).map(toTask)
  }
  const conditions: (SQL | undefined)[] = [eq(tasks.projectId, projectId)]
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status]
    conditions.push(inArray(tasks.status, statuses))
  }
  if (filter.parentId === null) conditions.push(isNull(tasks.parentId))
  else if (filter.parentId !== undefined) conditions.push(eq(tasks.parentId, filter.parentId))
  if (filter.ready) conditions.push(isReady(ctx))
  return ctx.db
    .select(taskColumns)
    .from(tasks)
    .where(and(...conditions))
    .orderBy(asc(tasks.id))
    .values()
    .map(toTask)
}

/** Pending tasks whose dependencies are all done: highest priority first, then oldest. */
export function readyTasks(ctx: Ctx, projectId: number, limit?: number): Task[] {
  requireProject(ctx, projectId)
  const statement = prepared(ctx, 'tasks.ready', () =>
    ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(and(eq(tasks.projectId, sql.placeholder('projectId')), isReady(ctx)))
      .orderBy(desc(tasks.priority), asc(tasks.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  )
  // SQLite reads a negative LIMIT as "no limit".
  return statement.values({ projectId, limit: limit === undefined ? -1 : Math.max(0, limit) }).map(toTask)
}

export function nextReadyTask(ctx: Ctx, projectId: number): Task | undefined {
  return readyTasks(ctx, projectId, 1)[0]
}

export function getGraph(ctx: Ctx, projectId: number): TaskGraph {
  requireProject(ctx, projectId)
  return read(ctx, () => {
    const all = ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(eq(tasks.projectId, projectId))
      .orderBy(asc(tasks.id))
      .values()
      .map(toTask)
    const edges = ctx.db
      .select({ from: taskDependencies.dependsOnId, to: taskDependencies.taskId })
      .from(taskDependencies)
      .innerJoin(tasks, eq(tasks.id, taskDependencies.taskId))
      .where(eq(tasks.projectId, projectId))
      .orderBy(asc(taskDependencies.taskId), asc(taskDependencies.dependsOnId))
      .all()
    return { tasks: all, edges }
  })
}

/** The dependencies of `taskId` that are not done, for the start gate and error messages. */
export function unfinishedDependencies(ctx: Ctx, taskId: number): { id: number; status: string }[] {
  return ctx.db
    .select({ id: tasks.id, status: tasks.status })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(eq(taskDependencies.taskId, taskId), ne(tasks.status, 'done')))
    .orderBy(asc(tasks.id))
    .all()
}
