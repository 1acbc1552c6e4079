/** Checkpoints: the conversation (as message-id ranges) and a workspace commit, and their retention. */
import { asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { NotFoundError, ValidationError } from './errors.js'
import { rangesOf } from './id-ranges.js'
import { checkpoints, messages } from './schema.js'
import { toCheckpoint } from './session-records.js'
import {
  CHECKPOINT_KINDS,
  type Checkpoint,
  type CheckpointKind,
  type NewCheckpoint,
  type RetentionPolicy,
} from './session-types.js'
import { assertSession } from './sessions.js'
import { checkAmount, optionalText } from './validation.js'

export const DAY_MS = 24 * 60 * 60 * 1000

export function createCheckpoint(ctx: Ctx, input: NewCheckpoint): Checkpoint {
  const kind = checkpointKind(input.kind)
  const commit = optionalText(input.commit, 'commit') ?? null
  if (commit !== null && commit.trim() === '')
    throw new ValidationError('commit must be a commit id or null, not empty', 'commit')
  const label = optionalText(input.label, 'label') ?? null
  return write(ctx, () => {
    assertSession(ctx, input.sessionId)
    const timeline = prepared(ctx, 'messages.timeline', () =>
      ctx.db
        .select({ id: messages.id, reverted: messages.reverted })
        .from(messages)
        .where(eq(messages.sessionId, sql.placeholder('sessionId')))
        .orderBy(asc(messages.id))
        .prepare(),
    )
    const all = timeline.all({ sessionId: input.sessionId })
    const ranges = rangesOf(all)
    const messageCount = all.reduce((n, message) => (message.reverted ? n : n + 1), 0)
    const now = new Date()
    const row = ctx.db
      .insert(checkpoints)
      .values({
        sessionId: input.sessionId,
        kind,
        commit,
        messages: ranges,
        messageCount,
        label,
        createdAt: now,
      })
      .returning()
      .get()
    const checkpoint = toCheckpoint(row)
    record(ctx, { type: 'checkpoint.created', checkpoint }, now.getTime())
    return checkpoint
  })
}

export function getCheckpoint(ctx: Ctx, id: number): Checkpoint | undefined {
  const statement = prepared(ctx, 'checkpoints.byId', () =>
    ctx.db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.id, sql.placeholder('id')))
      .prepare(),
  )
  const row = statement.get({ id })
  return row ? toCheckpoint(row) : undefined
}

export function requireCheckpoint(ctx: Ctx, id: number): Checkpoint {
  const checkpoint = getCheckpoint(ctx, id)
  if (!checkpoint) throw new NotFoundError('checkpoint', id)
  return checkpoint
}

/** Newest first. */
export function listCheckpoints(ctx: Ctx, sessionId: string): Checkpoint[] {
  assertSession(ctx, sessionId)
  return ctx.db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.sessionId, sessionId))
    .orderBy(desc(checkpoints.id))
    .all()
    .map(toCheckpoint)
}

/** Deletes the session's checkpoints beyond `maxCount` (oldest first) or older than `maxAgeDays`. */
export function pruneCheckpoints(ctx: Ctx, sessionId: string, policy: RetentionPolicy): Checkpoint[] {
  const maxCount = policy.maxCount === undefined ? undefined : checkAmount(policy.maxCount, 'maxCount', true)
  const maxAgeDays =
    policy.maxAgeDays === undefined ? undefined : checkAmount(policy.maxAgeDays, 'maxAgeDays')
  return write(ctx, () => {
    assertSession(ctx, sessionId)
    const newestFirst = ctx.db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.sessionId, sessionId))
      .orderBy(desc(checkpoints.id))
      .all()
    const cutoff = maxAgeDays === undefined ? undefined : Date.now() - maxAgeDays * DAY_MS
    const dropped = newestFirst.filter(
      (row, index) =>
        (maxCount !== undefined && index >= maxCount) ||
        (cutoff !== undefined && row.createdAt.getTime() < cutoff),
    )
    const ids = dropped.map((row) => row.id)
    for (let start = 0; start < ids.length; start += 500)
      ctx.db
        .delete(checkpoints)
        .where(inArray(checkpoints.id, ids.slice(start, start + 500)))
        .run()
    return dropped.reverse().map(toCheckpoint)
  })
}

/** Distinct non-null commits of every checkpoint. */
export function liveCheckpointCommits(ctx: Ctx): string[] {
  return ctx.db
    .selectDistinct({ commit: checkpoints.commit })
    .from(checkpoints)
    .where(isNotNull(checkpoints.commit))
    .orderBy(asc(checkpoints.commit))
    .all()
    .map((row) => row.commit as string)
}

export function checkpointKind(value: unknown): CheckpointKind {
  if (!CHECKPOINT_KINDS.includes(value as CheckpointKind))
    throw new ValidationError(
      `kind must be one of ${CHECKPOINT_KINDS.join(', ')}, got ${JSON.stringify(value)}`,
      'kind',
    )
  return value as CheckpointKind
}
