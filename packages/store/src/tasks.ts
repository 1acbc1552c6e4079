/** Creating, editing and deleting tasks. Status changes live in lifecycle.ts. */
import { eq, inArray, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { insertEdge } from './dependencies.js'
import { NotFoundError, ValidationError } from './errors.js'
import { requireProject } from './projects.js'
import { tasks } from './schema.js'
import { getTask, requireTask } from './task-queries.js'
import type { NewTask, Task, TaskPatch, Usage } from './types.js'
import {
  checkAmount,
  optionalAmount,
  optionalCriteria,
  optionalPriority,
  optionalText,
  requireId,
  requireText,
} from './validation.js'

export interface TaskValues {
  projectId: number
  parentId: number | null
  title: string
  description: string | null
  acceptanceCriteria: string[]
  verifyCommand: string | null
  priority: number
  budgetTokens: number | null
  budgetUsd: number | null
}

/** Inserts one task row (caller holds the transaction and has validated `values`); returns its id. */
export function insertTask(ctx: Ctx, values: TaskValues, at: Date): number {
  const insert = prepared(ctx, 'tasks.insert', () =>
    ctx.db
      .insert(tasks)
      .values({
        projectId: sql.placeholder('projectId'),
        parentId: sql.placeholder('parentId'),
        title: sql.placeholder('title'),
        description: sql.placeholder('description'),
        acceptanceCriteria: sql.placeholder('acceptanceCriteria'),
        verifyCommand: sql.placeholder('verifyCommand'),
        priority: sql.placeholder('priority'),
        budgetTokens: sql.placeholder('budgetTokens'),
        budgetUsd: sql.placeholder('budgetUsd'),
        createdAt: sql.placeholder('createdAt'),
        updatedAt: sql.placeholder('createdAt'),
      })
      .returning({ id: tasks.id })
      .prepare(),
  )
  const row = insert.get({ ...values, createdAt: at })
  if (!row) throw new Error('inserting a task returned no id')
  return row.id
}

export function createTask(ctx: Ctx, input: NewTask): Task {
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
  return write(ctx, () => {
    requireProject(ctx, projectId)
    if (values.parentId !== null) checkParent(ctx, projectId, values.parentId)
    checkSameProject(ctx, projectId, dependsOn)
    const now = new Date()
    const id = insertTask(ctx, values, now)
    // A new task has no dependents, so its edges cannot close a cycle.
    for (const prerequisite of dependsOn) insertEdge(ctx, id, prerequisite)
    const task = requireTask(ctx, id)
    record(ctx, { type: 'task.created', task }, now.getTime())
    return task
  })
}

export function updateTask(ctx: Ctx, id: number, patch: TaskPatch): Task {
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
  return write(ctx, () => {
    const current = requireTask(ctx, id)
    if (changes.parentId != null) {
      checkParent(ctx, current.projectId, changes.parentId)
      checkNotDescendant(ctx, id, changes.parentId)
    }
    const now = new Date()
    ctx.db
      .update(tasks)
      .set({ ...changes, updatedAt: now })
      .where(eq(tasks.id, id))
      .run()
    const task = requireTask(ctx, id)
    record(ctx, { type: 'task.updated', task }, now.getTime())
    return task
  })
}

/** Deletes the task and its edges; its subtasks move up to its own parent. */
export function deleteTask(ctx: Ctx, id: number): void {
  write(ctx, () => {
    const task = requireTask(ctx, id)
    const now = new Date()
    const children = ctx.db
      .update(tasks)
      .set({ parentId: task.parentId, updatedAt: now })
      .where(eq(tasks.parentId, id))
      .returning({ id: tasks.id })
      .all()
    for (const child of children) record(ctx, { type: 'task.updated', task: requireTask(ctx, child.id) })
    ctx.db.delete(tasks).where(eq(tasks.id, id)).run()
    record(ctx, { type: 'task.deleted', taskId: id, projectId: task.projectId }, now.getTime())
  })
}

export function addTaskUsage(ctx: Ctx, id: number, usage: Usage): Task {
  const tokens = checkAmount(usage.tokens, 'tokens', true)
  const costUsd = checkAmount(usage.costUsd, 'costUsd')
  return write(ctx, () => {
    const now = new Date()
    const updated = ctx.db
      .update(tasks)
      .set({
        tokensUsed: sql`${tasks.tokensUsed} + ${tokens}`,
        costUsd: sql`${tasks.costUsd} + ${costUsd}`,
        updatedAt: now,
      })
      .where(eq(tasks.id, id))
      .run()
    if (updated.changes === 0) throw new NotFoundError('task', id)
    const task = requireTask(ctx, id)
    record(ctx, { type: 'task.updated', task }, now.getTime())
    return task
  })
}

function checkParent(ctx: Ctx, projectId: number, parentId: number): void {
  const parent = getTask(ctx, parentId)
  if (!parent) throw new NotFoundError('task', parentId)
  if (parent.projectId !== projectId)
    throw new ValidationError(
      `parent task ${parentId} is in project ${parent.projectId}, not ${projectId}: a subtask stays in its parent's project`,
      'parentId',
    )
}

/** Making `parentId` the parent of `id` must not put `id` among its own ancestors. */
function checkNotDescendant(ctx: Ctx, id: number, parentId: number): void {
  const seen = new Set<number>()
  for (let current: number | null = parentId; current !== null && !seen.has(current); ) {
    if (current === id)
      throw new ValidationError(
        `task ${parentId} cannot be the parent of task ${id}: it is ${parentId === id ? 'the task itself' : 'one of its subtasks'}`,
        'parentId',
      )
    seen.add(current)
    current = getTask(ctx, current)?.parentId ?? null
  }
}

function checkSameProject(ctx: Ctx, projectId: number, ids: number[]): void {
  if (ids.length === 0) return
  const found = new Map<number, number>()
  for (let start = 0; start < ids.length; start += 500) {
    const rows = ctx.db
      .select({ id: tasks.id, projectId: tasks.projectId })
      .from(tasks)
      .where(inArray(tasks.id, ids.slice(start, start + 500)))
      .all()
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
