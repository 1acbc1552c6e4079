/** Checkpoints on Postgres: as checkpoints.ts. */
import { asc, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import { checkpointKind, DAY_MS } from '../checkpoints.js'
import { NotFoundError, ValidationError } from '../errors.js'
import { rangesOf } from '../id-ranges.js'
import { checkpoints, messages, sessions } from '../schema-pg.js'
import { toCheckpoint } from '../session-records.js'
import type { Checkpoint, NewCheckpoint, RetentionPolicy } from '../session-types.js'
import { checkAmount, optionalText } from '../validation.js'
import { type PgCtx, record, write } from './context.js'
import { must } from './projects.js'
import { isRowId } from './records.js'

export function createCheckpoint(ctx: PgCtx, input: NewCheckpoint): Promise<Checkpoint> {
  const kind = checkpointKind(input.kind)
  const commit = optionalText(input.commit, 'commit') ?? null
  if (commit !== null && commit.trim() === '')
    throw new ValidationError('commit must be a commit id or null, not empty', 'commit')
  const label = optionalText(input.label, 'label') ?? null
  return write(ctx, async (tx) => {
    if (typeof input.sessionId !== 'string') throw new NotFoundError('session', input.sessionId)
    // One query: the session's row says it exists (a session without messages gives one row of nulls).
    const joined = await tx.db
      .select({ id: messages.id, reverted: messages.reverted })
      .from(sessions)
      .leftJoin(messages, eq(messages.sessionId, sessions.id))
      .where(eq(sessions.id, input.sessionId))
      .orderBy(asc(messages.id))
    if (joined.length === 0) throw new NotFoundError('session', input.sessionId)
    const all = joined.flatMap((row) =>
      row.id === null ? [] : [{ id: row.id, reverted: row.reverted === true }],
    )
    const messageCount = all.reduce((n, message) => (message.reverted ? n : n + 1), 0)
    const now = new Date()
    const [row] = await tx.db
      .insert(checkpoints)
      .values({
        sessionId: input.sessionId,
        kind,
        commit,
        messages: rangesOf(all),
        messageCount,
        label,
        createdAt: now,
      })
      .returning()
    const checkpoint = toCheckpoint(must(row))
    await record(tx, { type: 'checkpoint.created', checkpoint }, now.getTime(), { last: true })
    return checkpoint
  })
}

export async function getCheckpoint(ctx: PgCtx, id: number): Promise<Checkpoint | undefined> {
  if (!isRowId(id)) return undefined
  const [row] = await ctx.db.select().from(checkpoints).where(eq(checkpoints.id, id))
  return row ? toCheckpoint(row) : undefined
}

export async function requireCheckpoint(ctx: PgCtx, id: number): Promise<Checkpoint> {
  const checkpoint = await getCheckpoint(ctx, id)
  if (!checkpoint) throw new NotFoundError('checkpoint', id)
  return checkpoint
}

export async function listCheckpoints(ctx: PgCtx, sessionId: string): Promise<Checkpoint[]> {
  return (await checkpointRows(ctx, sessionId)).map(toCheckpoint)
}

/**
 * A session's checkpoint rows, newest first, in one query: the session's row says it exists (a
 * session without checkpoints gives one row of nulls); NotFoundError when it does not.
 */
async function checkpointRows(ctx: PgCtx, sessionId: string) {
  if (typeof sessionId !== 'string') throw new NotFoundError('session', sessionId)
  const rows = await ctx.db
    .select({ session: sessions.id, checkpoint: checkpoints })
    .from(sessions)
    .leftJoin(checkpoints, eq(checkpoints.sessionId, sessions.id))
    .where(eq(sessions.id, sessionId))
    .orderBy(desc(checkpoints.id))
  if (rows.length === 0) throw new NotFoundError('session', sessionId)
  return rows.flatMap((row) => (row.checkpoint ? [row.checkpoint] : []))
}

export async function pruneCheckpoints(
  ctx: PgCtx,
  sessionId: string,
  policy: RetentionPolicy,
): Promise<Checkpoint[]> {
  const maxCount = policy.maxCount === undefined ? undefined : checkAmount(policy.maxCount, 'maxCount', true)
  const maxAgeDays =
    policy.maxAgeDays === undefined ? undefined : checkAmount(policy.maxAgeDays, 'maxAgeDays')
  const droppable = async (tx: PgCtx) => {
    const newestFirst = await checkpointRows(tx, sessionId)
    const cutoff = maxAgeDays === undefined ? undefined : Date.now() - maxAgeDays * DAY_MS
    return newestFirst.filter(
      (row, index) =>
        (maxCount !== undefined && index >= maxCount) ||
        (cutoff !== undefined && row.createdAt.getTime() < cutoff),
    )
  }
  // Runs after every checkpoint, and usually finds nothing to drop: that is a plain read, not a
  // serializable transaction. Only when something goes is it decided again, inside one.
  if (!ctx.pending && (await droppable(ctx)).length === 0) return []
  return write(ctx, async (tx) => {
    const dropped = await droppable(tx)
    const ids = dropped.map((row) => row.id)
    for (let start = 0; start < ids.length; start += 500)
      await tx.db.delete(checkpoints).where(inArray(checkpoints.id, ids.slice(start, start + 500)))
    return dropped.reverse().map(toCheckpoint)
  })
}

export async function liveCheckpointCommits(ctx: PgCtx): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ commit: checkpoints.commit })
    .from(checkpoints)
    .where(isNotNull(checkpoints.commit))
    .orderBy(asc(checkpoints.commit))
  return rows.map((row) => row.commit as string)
}
