/**
 * Rows to records, for both backends (drizzle gives Date objects on both); the SQLite task select.
 * Raw-value reads (tasks, sessions) are mapped in row-values.ts.
 */
import { sql } from 'drizzle-orm'
import { SQLITE_VALUES, taskFromValues, taskSelection } from './row-values.js'
import { type projects, type runs, taskDependencies, tasks } from './schema.js'
import type { Project, Run, Task } from './types.js'

type ProjectRow = typeof projects.$inferSelect
type RunRow = typeof runs.$inferSelect

/**
 * Columns to select for a Task (see row-values.ts): the row plus its dependency ids as a JSON array.
 * Task reads take the raw values (drizzle's `.values()`) and build the record in one step.
 */
export const taskColumns = taskSelection(
  tasks,
  sql`(SELECT json_group_array(${taskDependencies.dependsOnId} ORDER BY ${taskDependencies.dependsOnId}) FROM ${taskDependencies} WHERE ${taskDependencies.taskId} = ${tasks.id})`,
)

export const iso = (date: Date): string => date.toISOString()
const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null)

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    workspace: row.workspace,
    status: row.status,
    budgetTokens: row.budgetTokens,
    budgetUsd: row.budgetUsd,
    budgetSeconds: row.budgetSeconds,
    tokensUsed: row.tokensUsed,
    costUsd: row.costUsd,
    secondsUsed: row.secondsUsed,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

/** A task record from a raw row of `taskColumns` (`.values()` of a select of them). */
export const toTask = (values: unknown[]): Task => taskFromValues(values, SQLITE_VALUES)

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    projectId: row.projectId,
    taskId: row.taskId,
    status: row.status,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUsd: row.costUsd,
    turns: row.turns,
    finalText: row.finalText,
    error: row.error,
    startedAt: iso(row.startedAt),
    endedAt: isoOrNull(row.endedAt),
  }
}
