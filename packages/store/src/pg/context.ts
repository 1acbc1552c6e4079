/**
 * What every Postgres operation works with: a drizzle handle (the pool, or the transaction it runs
 * in), the change events its transaction recorded, and the helpers for transactions and events.
 *
 * Writes run SERIALIZABLE: several servers and workers share the database, and the operations
 * were written for SQLite's one-writer-at-a-time (read, check, then write). Postgres aborts a
 * transaction that would see anything else; `write` runs it again from the start. An operation
 * whose every read is of rows it writes or locks itself (a message append) may ask for REPEATABLE
 * READ instead: the row it writes orders it against its rivals just as well, without SERIALIZABLE's
 * predicate locks on shared index pages, which also abort writers of unrelated rows.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres'
import type { PgDatabase } from 'drizzle-orm/pg-core'
import { ConflictError, StoreError } from '../errors.js'
import { type EventHub, subjectOf } from '../events.js'
import * as schema from '../schema-pg.js'
import type { ChangeEvent, RecordedChange } from '../types.js'

export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>

export interface PgCtx {
  readonly db: PgDb
  readonly hub: EventHub
  /** This store's id in change notifications: its own come back through LISTEN and are skipped. */
  readonly origin: string
  /** Changes recorded by the open transaction, delivered after it commits; undefined outside one. */
  readonly pending: RecordedChange[] | undefined
  /**
   * In a top-level `write` only: how many of `pending` a `record(…, { last: true })` has already
   * announced (its INSERT notified); the transaction announces the rest before it commits.
   */
  readonly notices?: { announced: number }
}

/** How often a transaction Postgres aborted for a conflict is tried again before giving up. */
const MAX_ATTEMPTS = 60

export interface WriteOptions {
  /**
   * The top-level transaction's isolation (default 'serializable'). 'repeatable read' only for an
   * operation that reads nothing another writer could change without also writing (or waiting for)
   * a row this one writes or locks: then its snapshot cannot go stale unnoticed — the first writer
   * of that row wins, the other fails with 40001 and runs again — and nothing is read that
   * SERIALIZABLE would have guarded beyond that. Ignored inside another transaction (a savepoint).
   */
  isolation?: 'serializable' | 'repeatable read'
}

/**
 * Runs `fn` in a transaction: a new SERIALIZABLE one at the top (retried on a serialization
 * failure or deadlock), a savepoint inside another. Changes recorded inside reach listeners once
 * the top transaction commits, and are dropped with whatever rolls back.
 */
export async function write<T>(
  ctx: PgCtx,
  fn: (ctx: PgCtx) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (ctx.pending) {
    const pending = ctx.pending
    const mark = pending.length
    try {
      return await ctx.db.transaction((tx) => fn({ ...ctx, db: tx, notices: undefined }))
    } catch (error) {
      pending.length = Math.min(mark, pending.length)
      throw error
    }
  }
  for (let attempt = 1; ; attempt++) {
    const pending: RecordedChange[] = []
    const notices = { announced: 0 }
    try {
      const result = await ctx.db.transaction(
        async (tx) => {
          const value = await fn({ ...ctx, db: tx, pending, notices })
          await announce(tx, ctx.origin, pending.slice(Math.min(notices.announced, pending.length)))
          return value
        },
        { isolationLevel: options.isolation ?? 'serializable' },
      )
      deliver(ctx.hub, pending)
      return result
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
        await pause(attempt)
        continue
      }
      throw asStoreError(error)
    }
  }
}

/** Several reads against one snapshot. */
export function read<T>(ctx: PgCtx, fn: (ctx: PgCtx) => Promise<T>): Promise<T> {
  if (ctx.pending) return fn(ctx)
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx }), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  })
}

/** The channel other stores on the database LISTEN on for committed changes. */
export const CHANGES_CHANNEL = 'penguin_changes'
/** Ids per notification: a payload must stay under Postgres's 8000 bytes. */
const IDS_PER_NOTICE = 500

/**
 * Tells the other processes on this database which change events the transaction wrote:
 * `origin|id,id,…` on CHANGES_CHANNEL. NOTIFY is transactional — sent at commit, dropped on
 * rollback — so listeners never hear of changes that did not happen.
 */
export async function announce(db: PgDb, origin: string, changes: readonly RecordedChange[]): Promise<void> {
  for (let start = 0; start < changes.length; start += IDS_PER_NOTICE) {
    const ids = changes.slice(start, start + IDS_PER_NOTICE).map((change) => change.eventId)
    await db.execute(sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${`${origin}|${ids.join(',')}`})`)
  }
}

export function deliver(hub: EventHub, changes: RecordedChange[]): void {
  for (const change of changes) hub.queue(change)
  hub.flush()
}

/**
 * Appends the change to `events` (inside the caller's transaction) and queues it for listeners.
 * `last`: the operation's last statement — in a top-level `write`, the same statement also sends
 * the transaction's change notification (NOTIFY is transactional either way: delivered at commit,
 * dropped on rollback), which saves the separate `pg_notify` round trip before COMMIT.
 */
export async function record(
  ctx: PgCtx,
  event: ChangeEvent,
  at: number = Date.now(),
  options: { last?: boolean } = {},
): Promise<void> {
  if (!ctx.pending) throw new Error('record() outside a transaction')
  const last = options.last ? lastRecord(ctx, event, at) : undefined
  if (last) {
    const { rows } = await ctx.db.execute<{ id: number }>(
      sql`WITH ${last.cte} SELECT id, ${last.notify} FROM inserted`,
    )
    last.recorded(rows[0]?.id)
    return
  }
  const { type, ...data } = event
  const [row] = await ctx.db
    .insert(schema.events)
    .values({ type, ...subjectOf(event), data, createdAt: new Date(at) })
    .returning({ id: schema.events.id })
  if (!row) throw new Error('inserting an event returned no id')
  ctx.pending.push({ ...event, eventId: row.id })
}

/** The parts of a statement that records a change as its operation's last one (see `record`). */
export interface LastRecord {
  /** `inserted AS (INSERT INTO events … RETURNING id)`: a common table expression to put in a WITH. */
  cte: SQL
  /** The `pg_notify(…)` to select once per row of `inserted` (the transaction's notification). */
  notify: SQL
  /** Call with the `inserted` id the statement returned: queues the change for listeners. */
  recorded(id: number | string | undefined): void
}

/**
 * `record(…, { last: true })` as parts of a statement of the caller's, so that an operation can
 * record its change in the statement that does its last write (one round trip fewer); undefined
 * where that does not apply (not a top-level `write`, or too many changes to name in one
 * notification) — then `record` it on its own.
 */
export function lastRecord(ctx: PgCtx, event: ChangeEvent, at: number): LastRecord | undefined {
  const { notices, pending } = ctx
  if (!pending || !notices) return undefined
  const earlier = pending.slice(notices.announced).map((change) => change.eventId)
  if (earlier.length >= IDS_PER_NOTICE) return undefined
  const { type, ...data } = event
  const subject = subjectOf(event)
  const prefix = `${ctx.origin}|${earlier.map((id) => `${id},`).join('')}`
  return {
    cte: sql`inserted AS (
        INSERT INTO events (type, project_id, task_id, data, created_at)
        VALUES (${type}, ${subject.projectId}, ${subject.taskId}, ${JSON.stringify(data)}::json, ${new Date(at).toISOString()}::timestamptz)
        RETURNING id)`,
    notify: sql`pg_notify(${CHANGES_CHANNEL}, ${prefix} || inserted.id)`,
    recorded(id) {
      if (id === undefined) throw new Error('inserting an event returned no id')
      pending.push({ ...event, eventId: Number(id) })
      notices.announced = pending.length
    },
  }
}

function isRetryable(error: unknown): boolean {
  const code = pgCode(error)
  return code === '40001' || code === '40P01'
}

function pause(attempt: number): Promise<void> {
  // Jittered, growing (capped at 200 ms): writers that collided should not collide again in step.
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 2 ** attempt)))
}

/** The SQLSTATE of a Postgres error, through drizzle's wrapping (`cause`). */
export function pgCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** Postgres's errors become StoreErrors with code `database` (or `conflict` for a unique key). */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error
  const code = pgCode(error)
  const message = messageOf(error)
  if (code === '23505') return new ConflictError(message)
  if (code !== undefined)
    return new StoreError('database', `database error (${code}): ${message}`, { cause: error })
  if (/Cannot use a pool after calling end|Client was closed|Connection terminated/i.test(message))
    return new StoreError('database', `the database connection is closed or lost: ${message}`, {
      cause: error,
    })
  return error
}

export function messageOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause
  // drizzle wraps driver errors as "Failed query: …"; the driver's own message says why.
  if (cause instanceof Error && /^Failed query/.test(error instanceof Error ? error.message : ''))
    return cause.message
  return error instanceof Error ? error.message : String(error)
}

/** `record` for many changes at once: one INSERT per 500, ids in the order given. */
export async function recordMany(ctx: PgCtx, changes: ChangeEvent[], at: number = Date.now()): Promise<void> {
  if (!ctx.pending) throw new Error('record() outside a transaction')
  for (let start = 0; start < changes.length; start += 500) {
    const batch = changes.slice(start, start + 500)
    const rows = await ctx.db
      .insert(schema.events)
      .values(
        batch.map((event) => {
          const { type, ...data } = event
          return { type, ...subjectOf(event), data, createdAt: new Date(at) }
        }),
      )
      .returning({ id: schema.events.id })
    // One statement takes its identity values in VALUES order: ascending ids match the batch.
    const ids = rows.map((row) => row.id).sort((a, b) => a - b)
    for (const [index, event] of batch.entries())
      ctx.pending.push({ ...event, eventId: ids[index] as number })
  }
}
