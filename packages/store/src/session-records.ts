/** Session-side rows to records, like records.ts: timestamps as ISO strings, JSON as values. */
import { sql } from 'drizzle-orm'
import { iso } from './records.js'
import { type checkpoints, type memories, type messages, sessions } from './schema.js'
import type { Checkpoint, IdRanges, Memory, MessagePart, Session, StoredMessage } from './session-types.js'

type MessageRow = typeof messages.$inferSelect
type CheckpointRow = typeof checkpoints.$inferSelect
type MemoryRow = typeof memories.$inferSelect

/**
 * Columns to select for a Session, in the order of `SessionRowValues`: the row plus its count of
 * messages not reverted. Like task reads (records.ts), session reads take the raw values and build
 * the record in one step: the server lists sessions on every `GET /api/v1/sessions`, and drizzle's
 * generic row mapping made Date objects only for them to be turned back into strings.
 */
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
  // Qualified by hand: drizzle leaves columns of a one-table select unqualified, and `id` alone
  // would name messages.id inside the subquery.
  messageCount: sql<number>`(SELECT count(*) FROM "messages" WHERE "messages"."session_id" = "sessions"."id" AND "messages"."reverted" = 0)`,
  inputTokens: sessions.inputTokens,
  outputTokens: sessions.outputTokens,
  cacheReadTokens: sessions.cacheReadTokens,
  cacheWriteTokens: sessions.cacheWriteTokens,
  costUsd: sessions.costUsd,
  createdAt: sessions.createdAt,
  updatedAt: sessions.updatedAt,
} satisfies Record<string, unknown>

/** A raw row of `sessionColumns`, as SQLite returns it: timestamps as integer ms. */
type SessionRowValues = [
  id: string,
  title: string | null,
  workspace: string,
  model: string | null,
  projectId: number | null,
  parentId: string | null,
  forkedFromCheckpointId: number | null,
  parentSessionId: string | null,
  agent: string | null,
  messageCount: number,
  inputTokens: number,
  outputTokens: number,
  cacheReadTokens: number,
  cacheWriteTokens: number,
  costUsd: number,
  createdAt: number,
  updatedAt: number,
]

/** A session record from a raw row of `sessionColumns` (`.values()` of a select of them). */
export function toSession(values: unknown[]): Session {
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
    messageCount,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd,
    createdAt,
    updatedAt,
  ] = values as SessionRowValues
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
    messageCount,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    sessionId: row.sessionId,
    role: row.role,
    parts: Array.isArray(row.parts) ? (row.parts as MessagePart[]) : [],
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUsd: row.costUsd,
    createdAt: iso(row.createdAt),
  }
}

export function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    id: row.id,
    sessionId: row.sessionId,
    kind: row.kind,
    commit: row.commit,
    messages: Array.isArray(row.messages) ? (row.messages as IdRanges) : [],
    messageCount: row.messageCount,
    label: row.label,
    createdAt: iso(row.createdAt),
  }
}

export function toMemory(row: MemoryRow): Memory {
  return {
    id: row.id,
    scope: row.scope,
    content: row.content,
    tags: Array.isArray(row.tags) ? row.tags : [],
    sessionId: row.sessionId,
    createdAt: iso(row.createdAt),
  }
}
