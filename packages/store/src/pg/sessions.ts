/** Sessions on Postgres: as sessions.ts. */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { NotFoundError, ValidationError } from '../errors.js'
import { newSessionId, SESSION_ID_PREFIX } from '../ids.js'
import { checkpoints, sessions } from '../schema-pg.js'
import type { NewSession, Session, SessionFilter, SessionPatch } from '../session-types.js'
import { requireSessionId, type SessionValues, workspacePath } from '../sessions.js'
import { optionalFlag, optionalText, requireId } from '../validation.js'
import { type PgCtx, record, write } from './context.js'
import { requireProject } from './projects.js'
import { sessionColumns, toSession } from './records.js'

const MIN_PREFIX = 4
const MAX_CANDIDATES = 10

export async function getSession(ctx: PgCtx, id: string): Promise<Session | undefined> {
  if (typeof id !== 'string') return undefined
  const [row] = await ctx.db.select(sessionColumns).from(sessions).where(eq(sessions.id, id))
  return row ? toSession(row) : undefined
}

export async function requireSession(ctx: PgCtx, ref: string): Promise<Session> {
  if (typeof ref !== 'string' || ref.trim() === '')
    throw new ValidationError('a session reference must not be empty: give a session id or its prefix', 'id')
  const exact = await getSession(ctx, ref)
  if (exact) return exact
  const trimmed = ref.trim().toLowerCase()
  const prefix = trimmed.startsWith(SESSION_ID_PREFIX) ? trimmed : `${SESSION_ID_PREFIX}${trimmed}`
  if (prefix.length - SESSION_ID_PREFIX.length < MIN_PREFIX) throw new NotFoundError('session', ref)
  const rows = await ctx.db
    .select({ id: sessions.id })
    .from(sessions)
    // Ids are lowercase ASCII: COLLATE "C" compares bytes, so this range is exactly the prefix's ids.
    .where(
      and(
        gte(sql`${sessions.id} COLLATE "C"`, prefix),
        lt(sql`${sessions.id} COLLATE "C"`, `${prefix}\uffff`),
      ),
    )
    .orderBy(sessions.id)
    .limit(MAX_CANDIDATES + 1)
  const [first] = rows
  if (!first) throw new NotFoundError('session', ref)
  if (rows.length > 1) {
    const listed = rows.slice(0, MAX_CANDIDATES).map((row) => row.id)
    const more = rows.length > MAX_CANDIDATES ? ', …' : ''
    throw new ValidationError(
      `session "${ref}" is ambiguous: it matches ${listed.join(', ')}${more}; give more of the id`,
      'id',
    )
  }
  return (await getSession(ctx, first.id)) as Session
}

export async function listSessions(ctx: PgCtx, filter: SessionFilter = {}): Promise<Session[]> {
  const under = filter.under === undefined ? undefined : workspacePath(filter.under).replace(/\/+$/, '')
  const byRoot = under !== undefined && under !== ''
  const query = ctx.db
    .select(sessionColumns)
    .from(sessions)
    .where(
      and(
        // Sub-agents' sessions only under their parent (see SessionFilter.parentSessionId).
        filter.parentSessionId !== undefined
          ? eq(sessions.parentSessionId, filter.parentSessionId)
          : isNull(sessions.parentSessionId),
        filter.workspace !== undefined ? eq(sessions.workspace, workspacePath(filter.workspace)) : undefined,
        filter.projectId !== undefined ? eq(sessions.projectId, filter.projectId) : undefined,
        byRoot
          ? or(
              eq(sessions.workspace, under),
              sql`left(${sessions.workspace}, ${`${under}/`.length}) = ${`${under}/`}`,
            )
          : undefined,
      ),
    )
    .orderBy(
      ...(filter.parentSessionId !== undefined
        ? [asc(sessions.createdAt), asc(sessions.id)]
        : [desc(sessions.updatedAt), desc(sessions.id)]),
    )
  const rows = filter.limit === undefined ? await query : await query.limit(Math.max(0, filter.limit))
  return rows.map(toSession)
}

export async function latestSession(ctx: PgCtx, workspace: string): Promise<Session | undefined> {
  const [row] = await ctx.db
    .select(sessionColumns)
    .from(sessions)
    .where(and(eq(sessions.workspace, workspacePath(workspace)), isNull(sessions.parentSessionId)))
    .orderBy(desc(sessions.updatedAt), desc(sessions.id))
    .limit(1)
  return row ? toSession(row) : undefined
}

export async function insertSessionRow(
  ctx: PgCtx,
  values: SessionValues,
  now: Date,
  id: string = newSessionId(now.getTime()),
): Promise<string> {
  await ctx.db.insert(sessions).values({ id, ...values, createdAt: now, updatedAt: now })
  return id
}

export function createSession(ctx: PgCtx, input: NewSession): Promise<Session> {
  const id = input.id === undefined ? undefined : requireSessionId(input.id)
  const values: SessionValues = {
    title: optionalText(input.title, 'title') ?? null,
    workspace: workspacePath(input.workspace),
    model: optionalText(input.model, 'model') ?? null,
    projectId: input.projectId == null ? null : requireId(input.projectId, 'projectId'),
    parentId: null,
    forkedFromCheckpointId: null,
    parentSessionId: input.parentSessionId == null ? null : input.parentSessionId,
    agent: optionalText(input.agent, 'agent') ?? null,
    autoApprove: optionalFlag(input.autoApprove, 'autoApprove'),
  }
  return write(ctx, async (tx) => {
    if (values.projectId !== null) await requireProject(tx, values.projectId)
    if (values.parentSessionId) await requireExisting(tx, values.parentSessionId)
    const now = new Date()
    const [row] = await tx.db
      .insert(sessions)
      .values({ id: id ?? newSessionId(now.getTime()), ...values, createdAt: now, updatedAt: now })
      .returning(sessionColumns)
    const session = toSession(row as Record<string, unknown>)
    await record(tx, { type: 'session.created', session }, now.getTime(), { last: true })
    return session
  })
}

export function updateSession(ctx: PgCtx, id: string, patch: SessionPatch): Promise<Session> {
  const changes: Partial<typeof sessions.$inferInsert> = {}
  if (patch.title !== undefined) changes.title = optionalText(patch.title, 'title')
  if (patch.model !== undefined) changes.model = optionalText(patch.model, 'model')
  if (patch.agent !== undefined) changes.agent = optionalText(patch.agent, 'agent')
  if (patch.autoApprove !== undefined) changes.autoApprove = optionalFlag(patch.autoApprove, 'autoApprove')
  return write(ctx, async (tx) => {
    if (typeof id !== 'string') throw new NotFoundError('session', id)
    const now = new Date()
    // No row back: no such session (nothing was changed).
    const [row] = await tx.db
      .update(sessions)
      .set({ ...changes, updatedAt: now })
      .where(eq(sessions.id, id))
      .returning(sessionColumns)
    if (!row) throw new NotFoundError('session', id)
    const session = toSession(row)
    await record(tx, { type: 'session.updated', session }, now.getTime(), { last: true })
    return session
  })
}

export function deleteSession(ctx: PgCtx, id: string): Promise<{ commits: string[] }> {
  return write(ctx, async (tx) => {
    await requireExisting(tx, id)
    // The session and its sub-agents' sessions at any depth (they go with it: ON DELETE CASCADE).
    const family = (
      await tx.db.execute<{ id: string }>(
        sql`WITH RECURSIVE tree(id) AS (SELECT ${id}::text UNION ALL SELECT s.id FROM sessions s JOIN tree ON s.parent_session_id = tree.id) SELECT id FROM tree`,
      )
    ).rows.map((row) => row.id)
    const dropped = (
      await tx.db
        .selectDistinct({ commit: checkpoints.commit })
        .from(checkpoints)
        .where(and(inArray(checkpoints.sessionId, family), isNotNull(checkpoints.commit)))
    ).map((row) => row.commit as string)
    await tx.db.delete(sessions).where(eq(sessions.id, id))
    const live = new Set<string>()
    for (let start = 0; start < dropped.length; start += 500) {
      const rows = await tx.db
        .selectDistinct({ commit: checkpoints.commit })
        .from(checkpoints)
        .where(inArray(checkpoints.commit, dropped.slice(start, start + 500)))
      for (const row of rows) if (row.commit !== null) live.add(row.commit)
    }
    for (const member of family.slice(1).reverse())
      await record(tx, { type: 'session.deleted', sessionId: member })
    await record(tx, { type: 'session.deleted', sessionId: id })
    return { commits: dropped.filter((commit) => !live.has(commit)) }
  })
}

export async function requireExisting(ctx: PgCtx, id: string): Promise<Session> {
  const session = typeof id === 'string' ? await getSession(ctx, id) : undefined
  if (!session) throw new NotFoundError('session', id)
  return session
}

export async function assertSession(ctx: PgCtx, id: string): Promise<void> {
  if (typeof id !== 'string') throw new NotFoundError('session', id)
  const [row] = await ctx.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, id))
  if (!row) throw new NotFoundError('session', id)
}
