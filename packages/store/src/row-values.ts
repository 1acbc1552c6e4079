/**
 * Raw rows to records, once for both backends. The SQLite and PostgreSQL stores select the same
 * columns (schema.ts and schema-pg.ts mirror each other) and differ only in how a few raw values
 * come back: timestamps (SQLite: integer ms; Postgres: Date) and JSON columns (SQLite: text;
 * Postgres: parsed). A `ValueDecoder` per dialect handles those; everything else — which columns,
 * in which order, how each becomes a record field — is written here once, so a new column is
 * mapped in one place.
 *
 * Task and session reads take raw values in the order of `TASK_FIELDS`/`SESSION_FIELDS` (SQLite:
 * drizzle's `.values()`, which skips its generic row mapping — listing a 10,000-task project was
 * about 1.7 times as slow with it; Postgres: `valuesOf(row, fields)`).
 */
import type { Column, SQL } from 'drizzle-orm'
import type { Session } from './session-types.js'
import type { ApiToken } from './token-types.js'
import type { ChangeEventType, StoredEvent, Task, TaskStatus } from './types.js'

/** The raw values that differ between the dialects. */
export interface ValueDecoder {
  /** A timestamp column's value as an ISO-8601 string. */
  time(value: unknown): string
  /** A JSON column's value, parsed (null stays null). */
  json(value: unknown): unknown
}

/** better-sqlite3 through `.values()`: timestamps as integer ms, JSON as text. */
export const SQLITE_VALUES: ValueDecoder = {
  time: (value) => new Date(value as number).toISOString(),
  json: (value) => (value === null ? null : JSON.parse(value as string)),
}

/** node-postgres through drizzle: timestamps as Date, json/jsonb already parsed. */
export const POSTGRES_VALUES: ValueDecoder = {
  time: (value) => (value as Date).toISOString(),
  json: (value) => value,
}

const timeOrNull = (decode: ValueDecoder, value: unknown): string | null =>
  value === null ? null : decode.time(value)

/** A row's values in `fields` order (Postgres: drizzle gives objects). */
export function valuesOf(row: Record<string, unknown>, fields: readonly string[]): unknown[] {
  return fields.map((field) => row[field])
}

/** A table of either schema: a column under each field name. */
type Columns<F extends string> = { readonly [K in F]: Column }

/** A select in `fields` order: the table's column for each field, `computed` (SQL) for the others. */
function selection<F extends string, G extends F, T extends Columns<Exclude<F, G>>>(
  fields: readonly F[],
  table: T,
  computed: Record<G, SQL>,
): { [K in F]: K extends G ? SQL : K extends keyof T ? T[K] : never } {
  const from = { ...computed } as Record<string, unknown>
  const columns: Record<string, unknown> = {}
  for (const field of fields) columns[field] = from[field] ?? (table as Record<string, unknown>)[field]
  return columns as { [K in F]: K extends G ? SQL : K extends keyof T ? T[K] : never }
}

/** A Task's columns, in the order `taskFromValues` reads them. `dependsOn` is a subquery (a JSON array). */
export const TASK_FIELDS = [
  'id',
  'projectId',
  'parentId',
  'title',
  'description',
  'acceptanceCriteria',
  'verifyCommand',
  'status',
  'priority',
  'budgetTokens',
  'budgetUsd',
  'tokensUsed',
  'costUsd',
  'resultSummary',
  'failureReason',
  'dependsOn',
  'createdAt',
  'updatedAt',
  'startedAt',
  'finishedAt',
] as const

/** The select of a Task: `tasks` of either schema, and the dialect's dependency-ids subquery. */
export function taskSelection<T extends Columns<Exclude<(typeof TASK_FIELDS)[number], 'dependsOn'>>>(
  tasks: T,
  dependsOn: SQL,
) {
  return selection(TASK_FIELDS, tasks, { dependsOn })
}

/** A raw row of `taskSelection`; the `unknown`s are the decoder's (timestamps, JSON). */
type TaskValues = [
  id: number,
  projectId: number,
  parentId: number | null,
  title: string,
  description: string | null,
  acceptanceCriteria: unknown,
  verifyCommand: string | null,
  status: TaskStatus,
  priority: number,
  budgetTokens: number | null,
  budgetUsd: number | null,
  tokensUsed: number,
  costUsd: number,
  resultSummary: string | null,
  failureReason: string | null,
  dependsOn: unknown,
  createdAt: unknown,
  updatedAt: unknown,
  startedAt: unknown,
  finishedAt: unknown,
]

export function taskFromValues(values: readonly unknown[], decode: ValueDecoder): Task {
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
  const criteria = decode.json(acceptanceCriteria)
  const ids = decode.json(dependsOn)
  return {
    id,
    projectId,
    parentId,
    title,
    description,
    acceptanceCriteria: Array.isArray(criteria) ? criteria : [],
    verifyCommand,
    status,
    priority,
    budgetTokens,
    budgetUsd,
    tokensUsed,
    costUsd,
    resultSummary,
    failureReason,
    dependsOn: Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [],
    createdAt: decode.time(createdAt),
    updatedAt: decode.time(updatedAt),
    startedAt: timeOrNull(decode, startedAt),
    finishedAt: timeOrNull(decode, finishedAt),
  }
}

/** A Session's columns, in the order `sessionFromValues` reads them. `messageCount` is a subquery. */
export const SESSION_FIELDS = [
  'id',
  'title',
  'workspace',
  'model',
  'projectId',
  'parentId',
  'forkedFromCheckpointId',
  'parentSessionId',
  'agent',
  'autoApprove',
  'messageCount',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'costUsd',
  'createdAt',
  'updatedAt',
] as const

/** The select of a Session: `sessions` of either schema, and the dialect's message-count subquery. */
export function sessionSelection<T extends Columns<Exclude<(typeof SESSION_FIELDS)[number], 'messageCount'>>>(
  sessions: T,
  messageCount: SQL,
) {
  return selection(SESSION_FIELDS, sessions, { messageCount })
}

/** A raw row of `sessionSelection`. */
type SessionValues = [
  id: string,
  title: string | null,
  workspace: string,
  model: string | null,
  projectId: number | null,
  parentId: string | null,
  forkedFromCheckpointId: number | null,
  parentSessionId: string | null,
  agent: string | null,
  autoApprove: unknown,
  messageCount: number,
  inputTokens: number,
  outputTokens: number,
  cacheReadTokens: number,
  cacheWriteTokens: number,
  costUsd: number,
  createdAt: unknown,
  updatedAt: unknown,
]

export function sessionFromValues(values: readonly unknown[], decode: ValueDecoder): Session {
  const [
    id,
    title,
    workspace,
    model,
    projectId,
    parentId,
    forkedFromCheckpointId,
    parentSessionId,
    agent,
    autoApprove,
    messageCount,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd,
    createdAt,
    updatedAt,
  ] = values as SessionValues
  return {
    id,
    title,
    workspace,
    model,
    projectId,
    parentId,
    forkedFromCheckpointId,
    parentSessionId,
    agent,
    // SQLite's raw value is 0/1, Postgres's a boolean.
    autoApprove: Boolean(autoApprove),
    messageCount,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd,
    createdAt: decode.time(createdAt),
    updatedAt: decode.time(updatedAt),
  }
}

// Whole-row reads (drizzle's own mapping gives Date objects on both dialects): one mapper each.

export function toToken(row: {
  id: number
  name: string
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  }
}

export function toEvent(row: {
  id: number
  type: string
  projectId: number | null
  taskId: number | null
  data: Record<string, unknown>
  createdAt: Date
}): StoredEvent {
  return {
    id: row.id,
    type: row.type as ChangeEventType,
    projectId: row.projectId,
    taskId: row.taskId,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  }
}
