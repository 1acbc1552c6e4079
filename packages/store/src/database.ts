/**
 * Choosing a backend: a `postgres://` (or `postgresql://`) URL opens the PostgreSQL store, anything
 * else is a SQLite file. The Postgres module (and `pg` with it) is imported only when asked for.
 */
import type { OpenPostgresOptions, PostgresStore } from './postgres.js'

export type { OpenPostgresOptions, PostgresStore }

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
