/**
 * The Postgres selects of tasks and sessions (their subqueries in Postgres's SQL) and their records,
 * mapped by row-values.ts like the SQLite backend's: only the decoding of raw values differs.
 */
import { sql } from 'drizzle-orm'
import {
  POSTGRES_VALUES,
  SESSION_FIELDS,
  sessionFromValues,
  sessionSelection,
  TASK_FIELDS,
  taskFromValues,
  taskSelection,
  valuesOf,
} from '../row-values.js'
import { sessions, taskDependencies, tasks } from '../schema-pg.js'
import type { Session } from '../session-types.js'
import type { Task } from '../types.js'

export const sessionColumns = sessionSelection(
  sessions,
  sql<number>`(SELECT count(*)::int FROM "messages" WHERE "messages"."session_id" = "sessions"."id" AND NOT "messages"."reverted")`,
)

export const toSession = (row: Record<string, unknown>): Session =>
  sessionFromValues(valuesOf(row, SESSION_FIELDS), POSTGRES_VALUES)

export const taskColumns = taskSelection(
  tasks,
  sql`(SELECT json_agg(${taskDependencies.dependsOnId} ORDER BY ${taskDependencies.dependsOnId}) FROM ${taskDependencies} WHERE ${taskDependencies.taskId} = ${tasks.id})`,
)

export const toTask = (row: Record<string, unknown>): Task =>
  taskFromValues(valuesOf(row, TASK_FIELDS), POSTGRES_VALUES)

/** Whether `id` can name a row (an int4 identity): anything else is found nowhere, not an error. */
export function isRowId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647
}
