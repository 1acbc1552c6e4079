/** A session's messages on Postgres: as messages.ts. */
import { and, asc, eq, sql } from 'drizzle-orm'
import { ValidationError } from '../errors.js'
import { messageValues } from '../message-validation.js'
import { messages, sessions } from '../schema-pg.js'
import { toMessage } from '../session-records.js'
import type { AppendOptions, NewMessage, StoredMessage } from '../session-types.js'
import { type PgCtx, record, write } from './context.js'
import { assertSession, getSession } from './sessions.js'

export function appendMessages(
  ctx: PgCtx,
  sessionId: string,
  input: NewMessage[],
  options: AppendOptions = {},
): Promise<StoredMessage[]> {
  if (!Array.isArray(input)) throw new ValidationError('messages must be a list of messages', 'messages')
  const values = input.map(messageValues)
  const consumes = controlIds(options.consumes)
  return write(ctx, async (tx) => {
    await assertSession(tx, sessionId)
    if (values.length === 0) return []
    // The control messages these deliver (live.ts's table) go with their storing: exactly once.
    if (consumes.length)
      await tx.db.execute(
        sql`DELETE FROM control_messages WHERE id = ANY(${`{${consumes.join(',')}}`}::bigint[])`,
      )
    const now = new Date()
    // One INSERT for the batch; RETURNING gives the rows in the order of VALUES.
    const rows = await tx.db
      .insert(messages)
      .values(values.map((message) => ({ ...message, sessionId, createdAt: now })))
      .returning()
    const stored = rows.sort((a, b) => a.id - b.id).map(toMessage)
    const sum = (
      field: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costUsd',
    ) => values.reduce((total, message) => total + message[field], 0)
    await tx.db
      .update(sessions)
      .set({
        inputTokens: sql`${sessions.inputTokens} + ${sum('inputTokens')}`,
        outputTokens: sql`${sessions.outputTokens} + ${sum('outputTokens')}`,
        cacheReadTokens: sql`${sessions.cacheReadTokens} + ${sum('cacheReadTokens')}`,
        cacheWriteTokens: sql`${sessions.cacheWriteTokens} + ${sum('cacheWriteTokens')}`,
        costUsd: sql`${sessions.costUsd} + ${sum('costUsd')}::float8`,
        updatedAt: now,
      })
      .where(eq(sessions.id, sessionId))
    const session = await getSession(tx, sessionId)
    if (session) await record(tx, { type: 'session.updated', session }, now.getTime())
    return stored
  })
}

export async function listMessages(ctx: PgCtx, sessionId: string): Promise<StoredMessage[]> {
  await assertSession(ctx, sessionId)
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), sql`NOT ${messages.reverted}`))
    .orderBy(asc(messages.id))
  return rows.map(toMessage)
}

function controlIds(ids: readonly number[] | undefined): number[] {
  if (ids === undefined) return []
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0))
    throw new ValidationError('consumes must be a list of control message ids', 'consumes')
  return [...ids]
}
