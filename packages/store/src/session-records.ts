/** Session-side rows to records, for both backends, like records.ts; the SQLite session select. */
import { sql } from 'drizzle-orm'
import { iso } from './records.js'
import { SQLITE_VALUES, sessionFromValues, sessionSelection } from './row-values.js'
import { type checkpoints, type memories, type messages, sessions } from './schema.js'
import type { Checkpoint, IdRanges, Memory, MessagePart, Session, StoredMessage } from './session-types.js'

type MessageRow = typeof messages.$inferSelect
type CheckpointRow = typeof checkpoints.$inferSelect
type MemoryRow = typeof memories.$inferSelect

/**
 * Columns to select for a Session (see row-values.ts): the row plus its count of messages not
 * reverted. Like task reads, session reads take the raw values and build the record in one step:
 * the server lists sessions on every `GET /api/v1/sessions`.
 */
export const sessionColumns = sessionSelection(
  sessions,
  // Qualified by hand: drizzle leaves columns of a one-table select unqualified, and `id` alone
  // would name messages.id inside the subquery.
  sql<number>`(SELECT count(*) FROM "messages" WHERE "messages"."session_id" = "sessions"."id" AND "messages"."reverted" = 0)`,
)

/** A session record from a raw row of `sessionColumns` (`.values()` of a select of them). */
export const toSession = (values: unknown[]): Session => sessionFromValues(values, SQLITE_VALUES)

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
