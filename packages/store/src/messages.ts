/** A session's messages: appending them (with their usage) and reading the conversation. */
import { and, asc, eq, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { ValidationError } from './errors.js'
import { type MessageValues, messageValues } from './message-validation.js'
import { messages, sessions } from './schema.js'
import { toMessage } from './session-records.js'
import type { AppendOptions, NewMessage, StoredMessage } from './session-types.js'
import { assertSession, getSession, updateSession } from './sessions.js'
import { optionalText } from './validation.js'

export function appendMessages(
  ctx: Ctx,
  sessionId: string,
  input: NewMessage[],
  options: AppendOptions = {},
): StoredMessage[] {
  if (!Array.isArray(input)) throw new ValidationError('messages must be a list of messages', 'messages')
  const values = input.map(messageValues)
  const title = options.title === undefined ? {} : { title: optionalText(options.title, 'title') }
  return write(ctx, () => {
    assertSession(ctx, sessionId)
    if (values.length === 0) {
      if (title.title !== undefined) updateSession(ctx, sessionId, title)
      return []
    }
    const now = new Date()
    const stored = values.map((message) => insertMessage(ctx, sessionId, message, now))
    const sum = (
      field: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costUsd',
    ) => values.reduce((total, message) => total + message[field], 0)
    const usage = {
      sessionId,
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheReadTokens: sum('cacheReadTokens'),
      cacheWriteTokens: sum('cacheWriteTokens'),
      costUsd: sum('costUsd'),
      updatedAt: now,
    }
    if (title.title === undefined) addUsageStatement(ctx).run({ ...usage, updatedAt: now.getTime() })
    else
      ctx.db
        .update(sessions)
        .set({
          inputTokens: sql`${sessions.inputTokens} + ${usage.inputTokens}`,
          outputTokens: sql`${sessions.outputTokens} + ${usage.outputTokens}`,
          cacheReadTokens: sql`${sessions.cacheReadTokens} + ${usage.cacheReadTokens}`,
          cacheWriteTokens: sql`${sessions.cacheWriteTokens} + ${usage.cacheWriteTokens}`,
          costUsd: sql`${sessions.costUsd} + ${usage.costUsd}`,
          ...title,
          updatedAt: now,
        })
        .where(eq(sessions.id, sessionId))
        .run()
    const session = getSession(ctx, sessionId)
    if (session) record(ctx, { type: 'session.updated', session }, now.getTime())
    return stored
  })
}

/** The session's usage grows by what the appended messages cost (prepared once: every turn runs it). */
function addUsageStatement(ctx: Ctx) {
  return prepared(ctx, 'sessions.addUsage', () =>
    ctx.db
      .update(sessions)
      .set({
        inputTokens: sql`${sessions.inputTokens} + ${sql.placeholder('inputTokens')}`,
        outputTokens: sql`${sessions.outputTokens} + ${sql.placeholder('outputTokens')}`,
        cacheReadTokens: sql`${sessions.cacheReadTokens} + ${sql.placeholder('cacheReadTokens')}`,
        cacheWriteTokens: sql`${sessions.cacheWriteTokens} + ${sql.placeholder('cacheWriteTokens')}`,
        costUsd: sql`${sessions.costUsd} + ${sql.placeholder('costUsd')}`,
        // timestamp_ms: the milliseconds themselves.
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
      })
      .where(eq(sessions.id, sql.placeholder('sessionId')))
      .prepare(),
  )
}

function insertMessage(ctx: Ctx, sessionId: string, message: MessageValues, at: Date): StoredMessage {
  const insert = prepared(ctx, 'messages.insert', () =>
    ctx.db
      .insert(messages)
      .values({
        sessionId: sql.placeholder('sessionId'),
        role: sql.placeholder('role'),
        parts: sql.placeholder('parts'),
        model: sql.placeholder('model'),
        inputTokens: sql.placeholder('inputTokens'),
        outputTokens: sql.placeholder('outputTokens'),
        cacheReadTokens: sql.placeholder('cacheReadTokens'),
        cacheWriteTokens: sql.placeholder('cacheWriteTokens'),
        costUsd: sql.placeholder('costUsd'),
        createdAt: sql.placeholder('createdAt'),
      })
      .returning()
      .prepare(),
  )
  const row = insert.get({ ...message, sessionId, createdAt: at })
  if (!row) throw new Error('inserting a message returned no row')
  return toMessage(row)
}

/** The conversation: the session's messages not reverted, in id order. */
export function listMessages(ctx: Ctx, sessionId: string): StoredMessage[] {
  assertSession(ctx, sessionId)
  const statement = prepared(ctx, 'messages.conversation', () =>
    ctx.db
      .select()
      .from(messages)
      // A literal 0 (not a bound parameter) lets SQLite pick the partial index messages_live_idx.
      .where(and(eq(messages.sessionId, sql.placeholder('sessionId')), sql`${messages.reverted} = 0`))
      .orderBy(asc(messages.id))
      .prepare(),
  )
  return statement.all({ sessionId }).map(toMessage)
}
