/** Restoring and forking conversations on Postgres: as conversation.ts. */
import { eq, sql } from 'drizzle-orm'
import { ValidationError } from '../errors.js'
import { sessions } from '../schema-pg.js'
import type { Checkpoint, IdRanges, RestoreOptions, Session } from '../session-types.js'
import { requireId } from '../validation.js'
import { requireCheckpoint } from './checkpoints.js'
import { type PgCtx, record, write } from './context.js'
import { getSession, insertSessionRow, requireExisting } from './sessions.js'

/** True for a `messages` row whose id is in one of the ranges (a JSON `[[from, to], …]`). */
const inRanges = (ranges: IdRanges) =>
  sql`EXISTS (SELECT 1 FROM json_array_elements(${JSON.stringify(ranges)}::json) AS r
    WHERE messages.id BETWEEN (r->>0)::int AND (r->>1)::int)`

const COPY_COLUMNS = sql.raw(
  'role, parts, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, created_at',
)

export function restoreConversation(
  ctx: PgCtx,
  checkpointId: number,
  options: RestoreOptions = {},
): Promise<Session> {
  const id = requireId(checkpointId, 'checkpointId')
  const keep = options.keep
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw new ValidationError('keep must be a whole number of messages, 0 or more', 'keep')
  return write(ctx, async (tx) => {
    const checkpoint = await requireCheckpoint(tx, id)
    const within = inRanges(checkpoint.messages)
    await tx.db.execute(
      sql`UPDATE messages SET reverted = NOT ${within} WHERE session_id = ${checkpoint.sessionId} AND reverted = ${within}`,
    )
    if (keep !== undefined)
      await tx.db.execute(sql`UPDATE messages SET reverted = true
        WHERE session_id = ${checkpoint.sessionId} AND NOT reverted AND id NOT IN (
          SELECT id FROM messages WHERE session_id = ${checkpoint.sessionId} AND NOT reverted ORDER BY id LIMIT ${keep})`)
    const now = new Date()
    await tx.db.update(sessions).set({ updatedAt: now }).where(eq(sessions.id, checkpoint.sessionId))
    const session = (await getSession(tx, checkpoint.sessionId)) as Session
    await record(tx, { type: 'session.restored', session, checkpointId: checkpoint.id }, now.getTime())
    return session
  })
}

export function forkSession(ctx: PgCtx, sessionId: string, checkpointId?: number): Promise<Session> {
  const id = checkpointId === undefined ? undefined : requireId(checkpointId, 'checkpointId')
  return write(ctx, async (tx) => {
    const source = await requireExisting(tx, sessionId)
    let checkpoint: Checkpoint | undefined
    if (id !== undefined) {
      checkpoint = await requireCheckpoint(tx, id)
      if (checkpoint.sessionId !== source.id)
        throw new ValidationError(
          `checkpoint ${id} belongs to session ${checkpoint.sessionId}, not ${source.id}; fork that session or pick one of this session's checkpoints`,
          'checkpointId',
        )
    }
    const now = new Date()
    const forkId = await insertSessionRow(
      tx,
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
    const condition = checkpoint ? inRanges(checkpoint.messages) : sql`NOT reverted`
    await tx.db.execute(sql`INSERT INTO messages (session_id, reverted, ${COPY_COLUMNS})
      SELECT ${forkId}, false, ${COPY_COLUMNS} FROM messages
      WHERE session_id = ${source.id} AND ${condition} ORDER BY id`)
    const fork = (await getSession(tx, forkId)) as Session
    await record(tx, { type: 'session.created', session: fork }, now.getTime())
    return fork
  })
}
