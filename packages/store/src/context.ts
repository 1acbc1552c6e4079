/** What every operation works with: the connection, the event hub, and the transaction helpers. */
import { sql } from 'drizzle-orm'
import { ConflictError, isDamage, StoreError } from './errors.js'
import { type EventHub, subjectOf } from './events.js'
import { type Db, damaged, messageOf, type Sqlite } from './open.js'
import { events } from './schema.js'
import type { ChangeEvent } from './types.js'

export interface Ctx {
  readonly sqlite: Sqlite
  readonly db: Db
  readonly events: EventHub
  /** Prepared statements, built on first use. */
  readonly statements: Map<string, unknown>
  /** Results of hot reads, kept while the database is unchanged (`cachedRead`). */
  readonly reads: ReadCache
}

/** Past this many distinct reads the cache starts over (it never holds more than a few). */
const MAX_CACHED_READS = 256

export class ReadCache {
  /** `total_changes():data_version` when the entries were read. */
  version = ''
  readonly entries = new Map<string, unknown>()
}

/**
 * A hot read's result, read again only once the database may have changed: SQLite's
 * `total_changes()` moves with every row this connection writes (even in a transaction later
 * rolled back) and `PRAGMA data_version` with every commit of another connection — another process
 * too, such as a \`penguin run\` beside the server. Both come from one statement that touches no
 * table, so an unchanged database answers from memory. Inside a transaction it always reads
 * afresh (and keeps nothing). The result is shared between callers: keep it immutable.
 */
export function cachedRead<T>(
  ctx: Ctx,
  key: string,
  compute: () => T,
  /** Whether to keep this result (default: always), e.g. not a miss that anyone can ask for. */
  keep: (value: T) => boolean = () => true,
): T {
  if (ctx.sqlite.inTransaction) return compute()
  const stamp = prepared(ctx, 'reads.version', () =>
    ctx.sqlite
      .prepare<[], [number, number]>('SELECT total_changes(), data_version FROM pragma_data_version')
      .raw(),
  )
  const [changes, dataVersion] = stamp.get() ?? [0, 0]
  const version = `${changes}:${dataVersion}`
  if (ctx.reads.version !== version) {
    ctx.reads.entries.clear()
    ctx.reads.version = version
  }
  if (ctx.reads.entries.has(key)) return ctx.reads.entries.get(key) as T
  const value = compute()
  if (!keep(value)) return value
  if (ctx.reads.entries.size >= MAX_CACHED_READS) ctx.reads.entries.clear()
  ctx.reads.entries.set(key, value)
  return value
}

/**
 * Runs `fn` in a write transaction: BEGIN IMMEDIATE at the top level (so it never has to upgrade
 * a read lock and fail busy), a savepoint when nested. Events recorded inside are emitted after
 * the outermost commit and dropped if this level rolls back.
 */
export function write<T>(ctx: Ctx, fn: () => T): T {
  const mark = ctx.events.mark()
  let result: T
  try {
    result = ctx.sqlite.transaction(fn).immediate()
  } catch (error) {
    ctx.events.discard(mark)
    throw error
  }
  if (!ctx.sqlite.inTransaction) ctx.events.flush()
  return result
}

/** Runs several reads against one snapshot. */
export function read<T>(ctx: Ctx, fn: () => T): T {
  return ctx.sqlite.transaction(fn).deferred()
}

/** Appends the change to `events` (inside the caller's transaction) and queues it for listeners. */
export function record(ctx: Ctx, event: ChangeEvent, at: number = Date.now()): void {
  const insert = prepared(ctx, 'events.insert', () =>
    ctx.db
      .insert(events)
      .values({
        type: sql.placeholder('type'),
        projectId: sql.placeholder('projectId'),
        taskId: sql.placeholder('taskId'),
        data: sql.placeholder('data'),
        createdAt: sql.placeholder('createdAt'),
      })
      .returning({ id: events.id })
      .prepare(),
  )
  const { type, ...data } = event
  const row = insert.get({ type, ...subjectOf(event), data, createdAt: new Date(at) })
  if (!row) throw new Error('inserting an event returned no id')
  ctx.events.queue({ ...event, eventId: row.id })
}

/** A prepared statement cached on the connection. */
export function prepared<T>(ctx: Ctx, key: string, build: () => T): T {
  let statement = ctx.statements.get(key) as T | undefined
  if (statement === undefined) {
    statement = build()
    ctx.statements.set(key, statement)
  }
  return statement
}

/** SQLite's own errors become StoreErrors with code `database` (or `conflict` for a unique key). */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') return new ConflictError(messageOf(error))
    if (isDamage(error)) return damaged(undefined, error)
    return new StoreError('database', `database error (${code}): ${messageOf(error)}`, { cause: error })
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message))
    return new StoreError('database', 'the store is closed; open it again with openStore', { cause: error })
  return error
}
