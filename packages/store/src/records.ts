/** Rows to records: integer-ms timestamps become ISO strings, JSON text becomes values. */
import { getTableColumns, sql } from 'drizzle-orm'
import { type projects, type runs, taskDependencies, tasks } from './schema.js'
import type { Project, Run, Task } from './types.js'

type ProjectRow = typeof projects.$inferSelect
type RunRow = typeof runs.$inferSelect
export type TaskRow = typeof tasks.$inferSelect & { dependsOn: string | null }

/** Columns to select for a Task: the row plus its dependency ids as a JSON array. */
export const taskColumns = {
  ...getTableColumns(tasks),
  dependsOn: sql<
    string | null
  >`(SELECT json_group_array(${taskDependencies.dependsOnId} ORDER BY ${taskDependencies.dependsOnId}) FROM ${taskDependencies} WHERE ${taskDependencies.taskId} = ${tasks.id})`,
} satisfies Record<string, unknown>

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

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    projectId: row.projectId,
    parentId: row.parentId,
    title: row.title,
    description: row.description,
    acceptanceCriteria: Array.isArray(row.acceptanceCriteria) ? row.acceptanceCriteria : [],
    verifyCommand: row.verifyCommand,
    status: row.status,
    priority: row.priority,
    budgetTokens: row.budgetTokens,
    budgetUsd: row.budgetUsd,
    tokensUsed: row.tokensUsed,
    costUsd: row.costUsd,
    resultSummary: row.resultSummary,
    failureReason: row.failureReason,
    dependsOn: parseIds(row.dependsOn),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
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
