/**
 * `penguin db copy`: moves an installation from a SQLite file to PostgreSQL. Every row of every
 * table, ids kept, in ONE Postgres transaction: either all of it is there (and the row counts of
 * both sides agree, checked before the commit) or none of it. The target must be empty; the source
 * is opened read-only and never changed. The FTS5 index is not copied: Postgres indexes memories
 * itself (a generated column).
 */
import { asc, eq, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { StoreError } from '../errors.js'
import { openConnection } from '../open.js'
import { connectPostgres } from '../postgres.js'
import * as lite from '../schema.js'
import * as post from '../schema-pg.js'
import { asStoreError, type PgDb } from './context.js'

/** Tables in an order foreign keys accept (self and circular references are filled in after). */
const TABLES = [
  'projects',
  'tasks',
  'taskDependencies',
  'runs',
  'events',
  'sessions',
  'messages',
  'checkpoints',
  'memories',
  'apiTokens',
] as const
type TableKey = (typeof TABLES)[number]

/** SQL names, for messages and counts. */
const SQL_NAMES: Record<TableKey, string> = {
  projects: 'projects',
  tasks: 'tasks',
  taskDependencies: 'task_dependencies',
  runs: 'runs',
  events: 'events',
  sessions: 'sessions',
  messages: 'messages',
  checkpoints: 'checkpoints',
  memories: 'memories',
  apiTokens: 'api_tokens',
}

const FROM: Record<TableKey, SQLiteTable> = {
  projects: lite.projects,
  tasks: lite.tasks,
  taskDependencies: lite.taskDependencies,
  runs: lite.runs,
  events: lite.events,
  sessions: lite.sessions,
  messages: lite.messages,
  checkpoints: lite.checkpoints,
  memories: lite.memories,
  apiTokens: lite.apiTokens,
}
const TO: Record<TableKey, PgTable> = {
  projects: post.projects,
  tasks: post.tasks,
  taskDependencies: post.taskDependencies,
  runs: post.runs,
  events: post.events,
  sessions: post.sessions,
  messages: post.messages,
  checkpoints: post.checkpoints,
  memories: post.memories,
  apiTokens: post.apiTokens,
}

const IDENTITY_TABLES: TableKey[] = TABLES.filter((key) => key !== 'taskDependencies' && key !== 'sessions')
const BATCH = 500

export interface CopyResult {
  /** Rows copied per table (SQL name), equal on both sides. */
  tables: Record<string, number>
  /** The target, without its password. */
  to: string
}

export async function copySqliteToPostgres(path: string, url: string): Promise<CopyResult> {
  let source: ReturnType<typeof openConnection>
  try {
    source = openConnection(path, true)
  } catch (error) {
    if (error instanceof StoreError && /needs upgrading/.test(error.message))
      throw new StoreError(
        'database',
        `the database at ${path} is from an older version of Penguin: upgrade it first with penguin db migrate --db ${path}`,
      )
    throw error
  }
  try {
    const { pool, db, shown } = await connectPostgres(url, { maxConnections: 1 })
    try {
      const tables = await db.transaction(async (tx) => {
        await refuseNonEmpty(tx, shown)
        const counts: Record<string, number> = {}
        for (const key of TABLES) counts[SQL_NAMES[key]] = await copyTable(source.db, tx, key)
        await linkLater(source.db, tx)
        for (const key of IDENTITY_TABLES)
          await tx.execute(
            sql.raw(
              `SELECT setval(pg_get_serial_sequence('${SQL_NAMES[key]}', 'id'), COALESCE((SELECT max(id) FROM ${SQL_NAMES[key]}), 0) + 1, false)`,
            ),
          )
        const copied = await countRows(tx)
        const differ = Object.entries(counts).filter(([name, count]) => copied[name] !== count)
        if (differ.length > 0)
          throw new StoreError(
            'database',
            `the copy does not add up (${differ.map(([name, count]) => `${name}: ${count} read, ${copied[name]} written`).join('; ')}); nothing was committed`,
          )
        return counts
      })
      return { tables, to: shown }
    } catch (error) {
      throw asStoreError(error)
    } finally {
      await pool.end()
    }
  } finally {
    source.sqlite.close()
  }
}

async function countRows(db: PgDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const key of TABLES) {
    const result = await db.execute<{ n: string }>(sql.raw(`SELECT count(*) AS n FROM ${SQL_NAMES[key]}`))
    counts[SQL_NAMES[key]] = Number(result.rows[0]?.n ?? 0)
  }
  return counts
}

async function refuseNonEmpty(db: PgDb, shown: string): Promise<void> {
  const held = Object.entries(await countRows(db)).filter(([, count]) => count > 0)
  if (held.length > 0)
    throw new StoreError(
      'conflict',
      `the database at ${shown} already holds data (${held.map(([name, count]) => `${count} ${name}`).join(', ')}); copy into an empty database (create a new one, or drop and recreate it)`,
    )
}

/** Copies one table in id order, batch by batch; self and circular references are left null here. */
async function copyTable(
  source: ReturnType<typeof openConnection>['db'],
  target: PgDb,
  key: TableKey,
): Promise<number> {
  const from = FROM[key]
  const to = TO[key]
  const order = 'id' in from ? asc((from as typeof lite.projects).id) : sql`rowid`
  let copied = 0
  for (let offset = 0; ; offset += BATCH) {
    const rows = source.select().from(from).orderBy(order).limit(BATCH).offset(offset).all() as Record<
      string,
      unknown
    >[]
    if (rows.length === 0) break
    const values = rows.map((row) => {
      if (key === 'tasks') return { ...row, parentId: null }
      if (key === 'sessions')
        return { ...row, parentId: null, forkedFromCheckpointId: null, parentSessionId: null }
      return row
    })
    await target.insert(to).values(values as never)
    copied += rows.length
    if (rows.length < BATCH) break
  }
  return copied
}

/**
 * The references left out by copyTable: a task's parent, a session's parent and fork point, a
 * sub-agent's session's parent.
 */
async function linkLater(source: ReturnType<typeof openConnection>['db'], target: PgDb): Promise<void> {
  const parents = source
    .select({ id: lite.tasks.id, parentId: lite.tasks.parentId })
    .from(lite.tasks)
    .where(sql`${lite.tasks.parentId} IS NOT NULL`)
    .all()
  for (const { id, parentId } of parents)
    await target.update(post.tasks).set({ parentId }).where(eq(post.tasks.id, id))
  const sessions = source
    .select({
      id: lite.sessions.id,
      parentId: lite.sessions.parentId,
      forkedFromCheckpointId: lite.sessions.forkedFromCheckpointId,
      parentSessionId: lite.sessions.parentSessionId,
    })
    .from(lite.sessions)
    .where(
      sql`${lite.sessions.parentId} IS NOT NULL OR ${lite.sessions.forkedFromCheckpointId} IS NOT NULL OR ${lite.sessions.parentSessionId} IS NOT NULL`,
    )
    .all()
  for (const { id, parentId, forkedFromCheckpointId, parentSessionId } of sessions)
    await target
      .update(post.sessions)
      .set({ parentId, forkedFromCheckpointId, parentSessionId })
      .where(eq(post.sessions.id, id))
}
