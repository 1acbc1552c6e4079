/** Rows to records: integer-ms timestamps become ISO strings, JSON text becomes values. */
import { sql } from 'drizzle-orm'
import { type projects, type runs, taskDependencies, tasks } from './schema.js'
import type { Project, Run, Task, TaskStatus } from './types.js'

type ProjectRow = typeof projects.$inferSelect
type RunRow = typeof runs.$inferSelect

/**
 * Columns to select for a Task, in the order of `TaskValues`: the row plus its dependency ids as a
 * JSON array. Task reads take the raw values (drizzle's `.values()`) and build the record in one
 * step in `toTask`: drizzle's generic row mapping (and its Date objects, turned back into strings
 * right after) made listing a 10,000-task project (`pnpm bench:store`) about 1.7 times as slow.
 */
export const taskColumns = {
  id: tasks.id,
  projectId: tasks.projectId,
  parentId: tasks.parentId,
  title: tasks.title,
  description: tasks.description,
  acceptanceCriteria: tasks.acceptanceCriteria,
  verifyCommand: tasks.verifyCommand,
  status: tasks.status,
  priority: tasks.priority,
  budgetTokens: tasks.budgetTokens,
  budgetUsd: tasks.budgetUsd,
  tokensUsed: tasks.tokensUsed,
  costUsd: tasks.costUsd,
  resultSummary: tasks.resultSummary,
  failureReason: tasks.failureReason,
  dependsOn: sql<
    string | null
  >`(SELECT json_group_array(${taskDependencies.dependsOnId} ORDER BY ${taskDependencies.dependsOnId}) FROM ${taskDependencies} WHERE ${taskDependencies.taskId} = ${tasks.id})`,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
  startedAt: tasks.startedAt,
  finishedAt: tasks.finishedAt,
} satisfies Record<string, unknown>

/** A raw row of `taskColumns`, as SQLite returns it: JSON as text, timestamps as integer ms. */
export type TaskValues = [
  id: number,
  projectId: number,
  parentId: number | null,
  title: string,
  description: string | null,
  acceptanceCriteria: string | null,
  verifyCommand: string | null,
  status: TaskStatus,
  priority: number,
  budgetTokens: number | null,
  budgetUsd: number | null,
  tokensUsed: number,
  costUsd: number,
  resultSummary: string | null,
  failureReason: string | null,
  dependsOn: string | null,
  createdAt: number,
  updatedAt: number,
  startedAt: number | null,
  finishedAt: number | null,
]

export const iso = (date: Date): string => date.toISOString()
const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null)
const isoOf = (ms: number): string => new Date(ms).toISOString()
const isoOfOrNull = (ms: number | null): string | null => (ms === null ? null : isoOf(ms))

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
export function toTask(values: unknown[]): Task {
  const [
    id,
    projectId,
    parentId,
    title,
    description,
    acceptanceCriteria,
    verifyCommand,
    status,
    priority,
    budgetTokens,
    budgetUsd,
    tokensUsed,
    costUsd,
    resultSummary,
    failureReason,
    dependsOn,
    createdAt,
    updatedAt,
    startedAt,
    finishedAt,
  ] = values as TaskValues
  return {
    id,
    projectId,
    parentId,
    title,
    description,
    acceptanceCriteria: parseStrings(acceptanceCriteria),
    verifyCommand,
    status,
    priority,
    budgetTokens,
    budgetUsd,
    tokensUsed,
    costUsd,
    resultSummary,
    failureReason,
    dependsOn: parseIds(dependsOn),
    createdAt: isoOf(createdAt),
    updatedAt: isoOf(updatedAt),
    startedAt: isoOfOrNull(startedAt),
    finishedAt: isoOfOrNull(finishedAt),
  }
}

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

function parseIds(json: string | null): number[] {
  if (!json) return []
  const ids: unknown = JSON.parse(json)
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : []
}

function parseStrings(json: string | null): string[] {
  if (!json) return []
  const values: unknown = JSON.parse(json)
  return Array.isArray(values) ? values : []
}
