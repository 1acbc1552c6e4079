/**
 * Moving a conversation through its checkpoints: restoring one (reverting the messages it did not
 * have, un-reverting those it had) and forking a new session from one.
 */
import type Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import { requireCheckpoint } from './checkpoints.js'
import { type Ctx, prepared, record, write } from './context.js'
import { ValidationError } from './errors.js'
import { sessions } from './schema.js'
import type { Checkpoint, RestoreOptions, Session } from './session-types.js'
import { getSession, insertSessionRow, requireExisting } from './sessions.js'
import { requireId } from './validation.js'

/** True for a `messages` row whose id is in one of the ranges (a JSON `[[from, to], …]` parameter). */
const IN_RANGES = `EXISTS (SELECT 1 FROM json_each(:ranges) AS r
  WHERE messages.id BETWEEN json_extract(r.value, '$[0]') AND json_extract(r.value, '$[1]'))`

const RESTORE = `UPDATE messages SET reverted = NOT ${IN_RANGES}
  WHERE session_id = :sessionId AND reverted = ${IN_RANGES}`

/** Reverts every message of the session after its first `:keep` kept ones. */
const KEEP_FIRST = `UPDATE messages SET reverted = 1
  WHERE session_id = :sessionId AND reverted = 0 AND id NOT IN (
    SELECT id FROM messages WHERE session_id = :sessionId AND reverted = 0 ORDER BY id LIMIT :keep)`

const COPY_COLUMNS =
  'role, parts, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, created_at'
const copy = (condition: string) =>
  `INSERT INTO messages (session_id, reverted, ${COPY_COLUMNS})
   SELECT :forkId, 0, ${COPY_COLUMNS} FROM messages
   WHERE session_id = :sessionId AND ${condition} ORDER BY id`

function statement(ctx: Ctx, key: string, text: string): Database.Statement {
  return prepared(ctx, key, () => ctx.sqlite.prepare(text))
}

export function restoreConversation(ctx: Ctx, checkpointId: number, options: RestoreOptions = {}): Session {
  const id = requireId(checkpointId, 'checkpointId')
  const keep = options.keep
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw new ValidationError('keep must be a whole number of messages, 0 or more', 'keep')
  return write(ctx, () => {
    const checkpoint = requireCheckpoint(ctx, id)
    // Only rows whose flag changes are written: those it reverts and those it brings back.
    statement(ctx, 'messages.restore', RESTORE).run({
      ranges: JSON.stringify(checkpoint.messages),
      sessionId: checkpoint.sessionId,
    })
    // In the same transaction, so the conversation is never seen whole and then cut.
    if (keep !== undefined)
      statement(ctx, 'messages.keepFirst', KEEP_FIRST).run({ sessionId: checkpoint.sessionId, keep })
    const now = new Date()
    ctx.db.update(sessions).set({ updatedAt: now }).where(eq(sessions.id, checkpoint.sessionId)).run()
    const session = getSession(ctx, checkpoint.sessionId) as Session
    record(ctx, { type: 'session.restored', session, checkpointId: checkpoint.id }, now.getTime())
    return session
  })
}

/**
 * A new session (same workspace, model and project; parent = the original) whose messages are
 * copies of the checkpoint's, or of the current conversation without one. Its usage starts at 0:
 * what the copied messages cost was spent by the original.
 */
export function forkSession(ctx: Ctx, sessionId: string, checkpointId?: number): Session {
  const id = checkpointId === undefined ? undefined : requireId(checkpointId, 'checkpointId')
  return write(ctx, () => {
    const source = requireExisting(ctx, sessionId)
    let checkpoint: Checkpoint | undefined
    if (id !== undefined) {
      checkpoint = requireCheckpoint(ctx, id)
      if (checkpoint.sessionId !== source.id)
        throw new ValidationError(
          `checkpoint ${id} belongs to session ${checkpoint.sessionId}, not ${source.id}; fork that session or pick one of this session's checkpoints`,
          'checkpointId',
        )
    }
    const now = new Date()
    const forkId = insertSessionRow(
      ctx,
      {
        title: source.title === null ? null : `${source.title} (fork)`,
        workspace: source.workspace,
        model: source.model,
        projectId: source.projectId,
        parentId: source.id,
        forkedFromCheckpointId: checkpoint?.id ?? null,
        autoApprove: source.autoApprove,
      },
      now,
    )
    if (checkpoint)
      statement(ctx, 'messages.copyRanges', copy(IN_RANGES)).run({
        forkId,
        sessionId: source.id,
        ranges: JSON.stringify(checkpoint.messages),
      })
    else statement(ctx, 'messages.copyCurrent', copy('reverted = 0')).run({ forkId, sessionId: source.id })
    const fork = getSession(ctx, forkId) as Session
    record(ctx, { type: 'session.created', session: fork }, now.getTime())
    return fork
  })
}
