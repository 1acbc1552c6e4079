/** Session-side rows to records, like records.ts: timestamps as ISO strings, JSON as values. */
import { getTableColumns, sql } from 'drizzle-orm'
import { iso } from './records.js'
import { type checkpoints, type memories, type messages, sessions } from './schema.js'
import type { Checkpoint, IdRanges, Memory, MessagePart, Session, StoredMessage } from './session-types.js'

type SessionRow = typeof sessions.$inferSelect & { messageCount: number }
type MessageRow = typeof messages.$inferSelect
type CheckpointRow = typeof checkpoints.$inferSelect
type MemoryRow = typeof memories.$inferSelect

/** Columns to select for a Session: the row plus its count of messages not reverted. */
export const sessionColumns = {
  ...getTableColumns(sessions),
  // Qualified by hand: drizzle leaves columns of a one-table select unqualified, and `id` alone
  // would name messages.id inside the subquery.
  messageCount: sql<number>`(SELECT count(*) FROM "messages" WHERE "messages"."session_id" = "sessions"."id" AND "messages"."reverted" = 0)`,
} satisfies Record<string, unknown>

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    title: row.title,
    workspace: row.workspace,
    model: row.model,
    projectId: row.projectId,
    parentId: row.parentId,
    forkedFromCheckpointId: row.forkedFromCheckpointId,
    messageCount: row.messageCount,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
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
