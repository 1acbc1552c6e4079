/**
 * Choosing a backend: a `postgres://` (or `postgresql://`) URL opens the PostgreSQL store, anything
 * else is a SQLite file. The Postgres module (and `pg` with it) is imported only when asked for.
 */
import type { CopyResult } from './pg/copy.js'
import type { EventsNotice } from './pg/event-notice.js'
import type { LiveListeners } from './pg/listen.js'
import type { LiveEventRow, LivePermission, NewLiveEvent, PostgresLive, RunControlSent } from './pg/live.js'
import type { OpenPostgresOptions, PostgresStore } from './postgres.js'

// No driver behind it (pg/live.ts imports only pg's types): safe to load eagerly.
export { inboxClosedOf } from './pg/live.js'
export type {
  CopyResult,
  EventsNotice,
  LiveEventRow,
  LiveListeners,
  LivePermission,
  NewLiveEvent,
  OpenPostgresOptions,
  PostgresLive,
  PostgresStore,
  RunControlSent,
}

/** Whether `value` names a PostgreSQL database (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value.trim())
}

/** Opens (and migrates) the PostgreSQL store at `url`; loads `pg` on first use. */
export async function openPostgresStore(url: string, options?: OpenPostgresOptions): Promise<PostgresStore> {
  const postgres = await import('./postgres.js')
  return postgres.openPostgresStore(url, options)
}

/** How many schema changes the PostgreSQL database at `url` still needs (0: up to date). */
export async function pendingPostgresMigrations(url: string): Promise<number> {
  const postgres = await import('./postgres.js')
  return postgres.pendingPostgresMigrations(url)
}

/** `postgres://user:***@host/db`: a URL as it may be shown or logged. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')
  }
}

/**
 * Copies every row of the SQLite database at `path` into the empty PostgreSQL database at `url`
 * (migrated first), in one transaction, verifying the row counts before it commits.
 */
export async function copySqliteToPostgres(path: string, url: string): Promise<CopyResult> {
  const copy = await import('./pg/copy.js')
  return copy.copySqliteToPostgres(path, url)
}

/** Applies pending migrations to the PostgreSQL database at `url`; returns how many were applied. */
export async function migratePostgres(url: string): Promise<{ applied: number; url: string }> {
  const postgres = await import('./postgres.js')
  const { pool, shown, applied } = await postgres.connectPostgres(url, { maxConnections: 1 })
  await pool.end()
  return { applied, url: shown }
}
