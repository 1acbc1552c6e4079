/** Postgres rows to records: the same records as the SQLite backend's (records.ts, session-records.ts). */
import { sql } from 'drizzle-orm'
import type { SelectResultFields } from 'drizzle-orm/query-builders/select.types'
import { sessions, taskDependencies, tasks } from '../schema-pg.js'
import type { Session } from '../session-types.js'
import type { Task } from '../types.js'

export const iso = (date: Date): string => date.toISOString()
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null)

export const sessionColumns = {
  id: sessions.id,
  title: sessions.title,
  workspace: sessions.workspace,
  model: sessions.model,
  projectId: sessions.projectId,
  parentId: sessions.parentId,
  forkedFromCheckpointId: sessions.forkedFromCheckpointId,
  parentSessionId: sessions.parentSessionId,
  agent: sessions.agent,
  messageCount: sql<number>`(SELECT count(*)::int FROM "messages" WHERE "messages"."session_id" = "sessions"."id" AND NOT "messages"."reverted")`,
  inputTokens: sessions.inputTokens,
  outputTokens: sessions.outputTokens,
  cacheReadTokens: sessions.cacheReadTokens,
  cacheWriteTokens: sessions.cacheWriteTokens,
  costUsd: sessions.costUsd,
  createdAt: sessions.createdAt,
  updatedAt: sessions.updatedAt,
}

type SessionRow = SelectResultFields<typeof sessionColumns>

export function toSession(row: SessionRow): Session {
  return {
    ...row,
    messageCount: Number(row.messageCount),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

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
    number[] | null
  >`(SELECT json_agg(${taskDependencies.dependsOnId} ORDER BY ${taskDependencies.dependsOnId}) FROM ${taskDependencies} WHERE ${taskDependencies.taskId} = ${tasks.id})`,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
  startedAt: tasks.startedAt,
  finishedAt: tasks.finishedAt,
}

type TaskRow = SelectResultFields<typeof taskColumns>

export function toTask(row: TaskRow): Task {
  return {
    ...row,
    acceptanceCriteria: Array.isArray(row.acceptanceCriteria) ? row.acceptanceCriteria : [],
    dependsOn: Array.isArray(row.dependsOn) ? row.dependsOn.map(Number) : [],
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
  }
}

/** Whether `id` can name a row (an int4 identity): anything else is found nowhere, not an error. */
export function isRowId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647
}
