/** Sessions: creating, finding (by id or unique prefix), listing, renaming and deleting them. */
import { isAbsolute, resolve } from 'node:path'
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { type Ctx, cachedRead, prepared, record, write } from './context.js'
import { NotFoundError, ValidationError } from './errors.js'
import { isSessionId, newSessionId, SESSION_ID_PREFIX } from './ids.js'
import { requireProject } from './projects.js'
import { checkpoints, sessions } from './schema.js'
import { sessionColumns, toSession } from './session-records.js'
import type { NewSession, Session, SessionFilter, SessionPatch } from './session-types.js'
import { optionalFlag, optionalText, requireId } from './validation.js'

/** Shortest reference `requireSession` will treat as a prefix (not counting `ses_`). */
const MIN_PREFIX = 4
const MAX_CANDIDATES = 10

export function getSession(ctx: Ctx, id: string): Session | undefined {
  const statement = prepared(ctx, 'sessions.byId', () =>
    ctx.db
      .select(sessionColumns)
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(),
  )
  const [row] = statement.values({ id })
  return row ? toSession(row) : undefined
}

/** By exact id, else by unique prefix (with or without `ses_`, at least 4 characters after it). */
export function requireSession(ctx: Ctx, ref: string): Session {
  if (typeof ref !== 'string' || ref.trim() === '')
    throw new ValidationError('a session reference must not be empty: give a session id or its prefix', 'id')
  const exact = getSession(ctx, ref)
  if (exact) return exact
  const trimmed = ref.trim().toLowerCase()
  const prefix = trimmed.startsWith(SESSION_ID_PREFIX) ? trimmed : `${SESSION_ID_PREFIX}${trimmed}`
  if (prefix.length - SESSION_ID_PREFIX.length < MIN_PREFIX) throw new NotFoundError('session', ref)
  // Ids are lowercase ASCII, so [prefix, prefix + U+FFFF) is exactly the ids starting with it.
  const rows = ctx.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(gte(sessions.id, prefix), lt(sessions.id, `${prefix}\uffff`)))
    .orderBy(sessions.id)
    .limit(MAX_CANDIDATES + 1)
    .all()
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
  return getSession(ctx, first.id) as Session
}

/**
 * Sessions, most recently active first (then newest created); `under` keeps those whose workspace is
 * that directory or below it (the server's --root). Listing is the server's hottest read (every
 * `GET /api/v1/sessions`): one prepared statement per shape of filter, and the records are kept until
 * the database changes (`cachedRead`); the array is the caller's, the records in it are shared and
 * frozen. A missing limit is LIMIT -1, which SQLite reads as none.
 */
export function listSessions(ctx: Ctx, filter: SessionFilter = {}): Session[] {
  const byWorkspace = filter.workspace !== undefined
  const byProject = filter.projectId !== undefined
  const under = filter.under === undefined ? undefined : workspacePath(filter.under).replace(/\/+$/, '')
  // The root itself, or a path starting with it and a separator (so /work does not take /workshop).
  const byRoot = under !== undefined && under !== ''
  const byParent = filter.parentSessionId !== undefined
  const params = {
    ...(byParent ? { parent: filter.parentSessionId } : {}),
    ...(byWorkspace ? { workspace: workspacePath(filter.workspace) } : {}),
    ...(byProject ? { projectId: filter.projectId } : {}),
    ...(byRoot ? { root: under, rootPrefix: `${under}/` } : {}),
    limit: filter.limit === undefined ? -1 : Math.max(0, filter.limit),
  }
  const key = `sessions.list:${JSON.stringify(params)}`
  const records = cachedRead(ctx, key, () => {
    const shape = `sessions.list:${byWorkspace}:${byProject}:${byRoot}:${byParent}`
    const statement = prepared(ctx, shape, () =>
      ctx.db
        .select(sessionColumns)
        .from(sessions)
        .where(
          and(
            byParent
              ? eq(sessions.parentSessionId, sql.placeholder('parent'))
              : isNull(sessions.parentSessionId),
            byWorkspace ? eq(sessions.workspace, sql.placeholder('workspace')) : undefined,
            byProject ? eq(sessions.projectId, sql.placeholder('projectId')) : undefined,
            byRoot
              ? sql`(${sessions.workspace} = ${sql.placeholder('root')} or substr(${sessions.workspace}, 1, length(${sql.placeholder('rootPrefix')})) = ${sql.placeholder('rootPrefix')})`
              : undefined,
          ),
        )
        .orderBy(
          ...(byParent
            ? [asc(sessions.createdAt), asc(sessions.id)]
            : [desc(sessions.updatedAt), desc(sessions.id)]),
        )
        .limit(sql.placeholder('limit'))
        .prepare(),
    )
    return statement.values(params).map((row) => Object.freeze(toSession(row)))
  })
  return [...records]
}

export function latestSession(ctx: Ctx, workspace: string): Session | undefined {
  const statement = prepared(ctx, 'sessions.latest', () =>
    ctx.db
      .select(sessionColumns)
      .from(sessions)
      .where(and(eq(sessions.workspace, sql.placeholder('workspace')), isNull(sessions.parentSessionId)))
      .orderBy(desc(sessions.updatedAt), desc(sessions.id))
      .limit(1)
      .prepare(),
  )
  const [row] = statement.values({ workspace: workspacePath(workspace) })
  return row ? toSession(row) : undefined
}

export interface SessionValues {
  title: string | null
  workspace: string
  model: string | null
  projectId: number | null
  parentId: string | null
  forkedFromCheckpointId: number | null
  parentSessionId?: string | null
  agent?: string | null
  autoApprove?: boolean
}

/** Inserts a session row (the caller holds the transaction and records `session.created`). */
export function insertSessionRow(
  ctx: Ctx,
  values: SessionValues,
  now: Date,
  id: string = newSessionId(now.getTime()),
): string {
  const insert = prepared(ctx, 'sessions.insert', () =>
    ctx.db
      .insert(sessions)
      .values({
        id: sql.placeholder('id'),
        title: sql.placeholder('title'),
        workspace: sql.placeholder('workspace'),
        model: sql.placeholder('model'),
        projectId: sql.placeholder('projectId'),
        parentId: sql.placeholder('parentId'),
        forkedFromCheckpointId: sql.placeholder('forkedFromCheckpointId'),
        parentSessionId: sql.placeholder('parentSessionId'),
        agent: sql.placeholder('agent'),
        autoApprove: sql.placeholder('autoApprove'),
        createdAt: sql.placeholder('createdAt'),
        updatedAt: sql.placeholder('updatedAt'),
      })
      .prepare(),
  )
  const { autoApprove = false, ...rest } = values
  insert.run({
    parentSessionId: null,
    agent: null,
    id,
    ...rest,
    // better-sqlite3 binds no booleans.
    autoApprove: autoApprove ? 1 : 0,
    createdAt: now,
    updatedAt: now,
  })
  return id
}

/** A caller-made session id (`NewSession.id`), checked for the shape `newSessionId()` gives. */
export function requireSessionId(value: unknown): string {
  if (!isSessionId(value))
    throw new ValidationError(
      `id must be a session id made by newSessionId(), got ${JSON.stringify(value)}`,
      'id',
    )
  return value
}

export function createSession(ctx: Ctx, input: NewSession): Session {
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
  return write(ctx, () => {
    if (values.projectId !== null) requireProject(ctx, values.projectId)
    if (values.parentSessionId) requireExisting(ctx, values.parentSessionId)
    const now = new Date()
    const session = getSession(ctx, insertSessionRow(ctx, values, now, id)) as Session
    record(ctx, { type: 'session.created', session }, now.getTime())
    return session
  })
}

export function updateSession(ctx: Ctx, id: string, patch: SessionPatch): Session {
  const changes: Partial<typeof sessions.$inferInsert> = {}
  if (patch.title !== undefined) changes.title = optionalText(patch.title, 'title')
  if (patch.model !== undefined) changes.model = optionalText(patch.model, 'model')
  if (patch.agent !== undefined) changes.agent = optionalText(patch.agent, 'agent')
  if (patch.autoApprove !== undefined) changes.autoApprove = optionalFlag(patch.autoApprove, 'autoApprove')
  return write(ctx, () => {
    requireExisting(ctx, id)
    const now = new Date()
    ctx.db
      .update(sessions)
      .set({ ...changes, updatedAt: now })
      .where(eq(sessions.id, id))
      .run()
    const session = getSession(ctx, id) as Session
    record(ctx, { type: 'session.updated', session }, now.getTime())
    return session
  })
}

/**
 * Deletes the session, its messages and checkpoints. Returns the commits of those checkpoints that
 * no remaining checkpoint references: the ones the shadow repository may now drop.
 */
export function deleteSession(ctx: Ctx, id: string): { commits: string[] } {
  return write(ctx, () => {
    requireExisting(ctx, id)
    // The session and its sub-agents' sessions, at any depth (they go with it: ON DELETE CASCADE).
    const family = ctx.db
      .all<{ id: string }>(
        sql`WITH RECURSIVE tree(id) AS (SELECT ${id} UNION ALL SELECT s.id FROM sessions s JOIN tree ON s.parent_session_id = tree.id) SELECT id FROM tree`,
      )
      .map((row) => row.id)
    const dropped = ctx.db
      .selectDistinct({ commit: checkpoints.commit })
      .from(checkpoints)
      .where(and(inArray(checkpoints.sessionId, family), isNotNull(checkpoints.commit)))
      .all()
      .map((row) => row.commit as string)
    ctx.db.delete(sessions).where(eq(sessions.id, id)).run()
    const live = new Set<string>()
    for (let start = 0; start < dropped.length; start += 500) {
      const rows = ctx.db
        .selectDistinct({ commit: checkpoints.commit })
        .from(checkpoints)
        .where(inArray(checkpoints.commit, dropped.slice(start, start + 500)))
        .all()
      for (const row of rows) if (row.commit !== null) live.add(row.commit)
    }
    for (const member of family.slice(1).reverse())
      record(ctx, { type: 'session.deleted', sessionId: member })
    record(ctx, { type: 'session.deleted', sessionId: id })
    return { commits: dropped.filter((commit) => !live.has(commit)) }
  })
}

/** The session with exactly this id (no prefixes: mutations name what they change). */
export function requireExisting(ctx: Ctx, id: string): Session {
  const session = typeof id === 'string' ? getSession(ctx, id) : undefined
  if (!session) throw new NotFoundError('session', id)
  return session
}

/** Throws NotFoundError unless a session has exactly this id (cheaper than reading it). */
export function assertSession(ctx: Ctx, id: string): void {
  const statement = prepared(ctx, 'sessions.exists', () =>
    ctx.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(),
  )
  if (typeof id !== 'string' || !statement.get({ id })) throw new NotFoundError('session', id)
}

export function workspacePath(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(
      'workspace must not be empty: give the absolute path the session works in',
      'workspace',
    )
  if (!isAbsolute(value))
    throw new ValidationError(
      `workspace must be an absolute path, got "${value}"; resolve it against the current directory first`,
      'workspace',
    )
  return resolve(value)
}
