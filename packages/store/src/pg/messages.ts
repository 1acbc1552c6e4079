/** A session's messages on Postgres: as messages.ts. */
import { and, asc, eq, sql } from 'drizzle-orm'
import { LeaseLostError, NotFoundError, ValidationError } from '../errors.js'
import { type MessageValues, messageValues } from '../message-validation.js'
import { messages, sessions } from '../schema-pg.js'
import { toMessage } from '../session-records.js'
import type { AppendOptions, MessagePart, NewMessage, RunFence, StoredMessage } from '../session-types.js'
import { optionalText } from '../validation.js'
import { type LastRecord, lastRecord, type PgCtx, record, write } from './context.js'
import { sessionColumns, toSession } from './records.js'
import { assertSession, updateSession } from './sessions.js'

export function appendMessages(
  ctx: PgCtx,
  sessionId: string,
  input: NewMessage[],
  options: AppendOptions = {},
): Promise<StoredMessage[]> {
  if (!Array.isArray(input)) throw new ValidationError('messages must be a list of messages', 'messages')
  const values = input.map(messageValues)
  const consumes = controlIds(options.consumes)
  const title = options.title === undefined ? {} : { title: optionalText(options.title, 'title') }
  if (values.length === 0 && title.title !== undefined)
    return updateSession(ctx, sessionId, title).then(() => [])
  // REPEATABLE READ, not SERIALIZABLE (context.ts `WriteOptions`): everything an append reads is
  // guarded by a row it writes or locks. The session's row is its first statement's UPDATE, so the
  // snapshot its message count reads is the one that row was taken under — and every writer of a
  // session's messages (another append, a restore) updates that row too, so one of two such writers
  // fails (40001) and runs again with the other's changes in view. The run's lease is locked FOR
  // SHARE (`held`), a control message it consumes deleted. What SERIALIZABLE added here were
  // predicate locks on the messages' and sessions' index pages, shared by every session: appends of
  // different runs aborted one another (a rollback and a retry each), as `pnpm bench:scale` showed.
  return write(
    ctx,
    async (tx) => {
      if (values.length === 0) {
        await assertSession(tx, sessionId)
        return []
      }
      if (typeof sessionId !== 'string') throw new NotFoundError('session', sessionId)
      const now = new Date()
      const sum = (
        field: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costUsd',
      ) => values.reduce((total, message) => total + message[field], 0)
      // The session's totals first: its row says whether the session exists (no separate check) and
      // comes back for the change event, its message count as of before this batch.
      const [before] = await tx.db
        .update(sessions)
        .set({
          inputTokens: sql`${sessions.inputTokens} + ${sum('inputTokens')}`,
          outputTokens: sql`${sessions.outputTokens} + ${sum('outputTokens')}`,
          cacheReadTokens: sql`${sessions.cacheReadTokens} + ${sum('cacheReadTokens')}`,
          cacheWriteTokens: sql`${sessions.cacheWriteTokens} + ${sum('cacheWriteTokens')}`,
          costUsd: sql`${sessions.costUsd} + ${sum('costUsd')}::float8`,
          ...title,
          updatedAt: now,
        })
        .where(
          options.fence ? and(eq(sessions.id, sessionId), held(options.fence)) : eq(sessions.id, sessionId),
        )
        .returning(sessionColumns)
      if (!before) {
        if (options.fence && (await sessionExists(tx, sessionId)))
          throw new LeaseLostError(options.fence.runId)
        throw new NotFoundError('session', sessionId)
      }
      const counted = toSession(before)
      // New messages are never reverted: each one counts.
      const session = { ...counted, messageCount: counted.messageCount + values.length }
      const change = { type: 'session.updated', session } as const
      const last = lastRecord(tx, change, now.getTime())
      if (last) return insertRecorded(tx, sessionId, values, consumes, now, last)
      // The control messages these deliver (live.ts's table) go with their storing: exactly once.
      if (consumes.length)
        await tx.db.execute(
          sql`DELETE FROM control_messages WHERE id = ANY(${`{${consumes.join(',')}}`}::bigint[])`,
        )
      // One INSERT for the batch; RETURNING gives the rows in the order of VALUES.
      const rows = await tx.db
        .insert(messages)
        .values(values.map((message) => ({ ...message, sessionId, createdAt: now })))
        .returning()
      const stored = rows.sort((a, b) => a.id - b.id).map(toMessage)
      await record(tx, change, now.getTime(), { last: true })
      return stored
    },
    { isolation: 'repeatable read' },
  )
}

/**
 * The rest of an append in one statement (a top-level write's: BEGIN, the session's UPDATE, this,
 * COMMIT): the control messages it delivers deleted, the messages inserted (ids in the batch's
 * order), its change event recorded and notified. The stored messages are what was inserted, as
 * reading them back would give them (parts through JSON, times to the millisecond).
 */
async function insertRecorded(
  tx: PgCtx,
  sessionId: string,
  values: MessageValues[],
  consumes: number[],
  now: Date,
  last: LastRecord,
): Promise<StoredMessage[]> {
  const parts = values.map((message) => JSON.stringify(message.parts))
  const column = <K extends keyof MessageValues>(key: K) => sql.param(values.map((message) => message[key]))
  const consumed = consumes.length
    ? sql`consumed AS (DELETE FROM control_messages WHERE id = ANY(${sql.param(consumes)}::bigint[])), `
    : sql``
  const { rows } = await tx.db.execute<{ ids: number[]; event_id: number }>(sql`WITH ${consumed}appended AS (
      INSERT INTO messages (session_id, role, parts, model, input_tokens, output_tokens, cache_read_tokens,
        cache_write_tokens, cost_usd, created_at)
      SELECT ${sessionId}, m.role, m.parts::json, m.model, m.input_tokens, m.output_tokens, m.cache_read_tokens,
        m.cache_write_tokens, m.cost_usd, ${now.toISOString()}::timestamptz
      FROM unnest(${column('role')}::text[], ${sql.param(parts)}::text[], ${column('model')}::text[],
        ${column('inputTokens')}::bigint[], ${column('outputTokens')}::bigint[], ${column('cacheReadTokens')}::bigint[],
        ${column('cacheWriteTokens')}::bigint[], ${column('costUsd')}::float8[])
        WITH ORDINALITY AS m(role, parts, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
          cost_usd, position)
      ORDER BY m.position
      RETURNING id
    ), ${last.cte}
    SELECT (SELECT array_agg(id ORDER BY id) FROM appended) AS ids, inserted.id AS event_id, ${last.notify}
    FROM inserted`)
  const [row] = rows
  // One statement takes its identity values in the order of its rows: ascending ids match the batch.
  const ids = (row?.ids ?? []).map(Number)
  if (ids.length !== values.length) throw new Error('inserting messages returned no ids')
  last.recorded(row?.event_id)
  const createdAt = now.toISOString()
  return values.map((message, index) => ({
    id: ids[index] as number,
    sessionId,
    role: message.role,
    parts: JSON.parse(parts[index] as string) as MessagePart[],
    model: message.model,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    cacheReadTokens: message.cacheReadTokens,
    cacheWriteTokens: message.cacheWriteTokens,
    costUsd: message.costUsd,
    createdAt,
  }))
}

export async function listMessages(ctx: PgCtx, sessionId: string): Promise<StoredMessage[]> {
  if (typeof sessionId !== 'string') throw new NotFoundError('session', sessionId)
  // One query: the session's row says it exists (a session without messages gives one row of nulls).
  const rows = await ctx.db
    .select({ session: sessions.id, message: messages })
    .from(sessions)
    .leftJoin(messages, and(eq(messages.sessionId, sessions.id), sql`NOT ${messages.reverted}`))
    .where(eq(sessions.id, sessionId))
    .orderBy(asc(messages.id))
  if (rows.length === 0) throw new NotFoundError('session', sessionId)
  return rows.flatMap((row) => (row.message ? [toMessage(row.message)] : []))
}

/**
 * The run's lease is still the writer's: a condition of the append's first statement (no round trip
 * of its own). FOR SHARE holds the row until the commit, so a sweep taking the lease back waits for
 * this append (and the worker resuming the run reads it), or went first and this append stores
 * nothing. Under READ COMMITTED, REPEATABLE READ (an append) and SERIALIZABLE alike a concurrent
 * change is never missed: the lock re-reads the row, or the transaction fails to serialise (40001)
 * and `write` runs it again.
 */
function held(fence: RunFence) {
  return sql`EXISTS (SELECT 1 FROM run_leases WHERE run_id = ${fence.runId} AND worker_id = ${fence.workerId}
    AND attempts = ${fence.attempt} AND finished_at IS NULL FOR SHARE)`
}

async function sessionExists(ctx: PgCtx, sessionId: string): Promise<boolean> {
  const rows = await ctx.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId))
  return rows.length > 0
}

function controlIds(ids: readonly number[] | undefined): number[] {
  if (ids === undefined) return []
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0))
    throw new ValidationError('consumes must be a list of control message ids', 'consumes')
  return [...ids]
}
