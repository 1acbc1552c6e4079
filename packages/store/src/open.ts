/** The connection: file, pragmas, and migrations applied on open. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { isDamage, StoreError, UnusableDatabaseError } from './errors.js'

export type Db = BetterSQLite3Database
export type Sqlite = Database.Database

const BUSY_TIMEOUT_MS = 5000
const MIGRATIONS_TABLE = '__drizzle_migrations'

/** `drizzle/` beside `src/` and `dist/`: one level up from this module in both layouts. */
export function migrationsFolder(): string {
  return fileURLToPath(new URL('../drizzle', import.meta.url))
}

export interface Connection {
  sqlite: Sqlite
  db: Db
}

export function openConnection(path: string, readonly: boolean): Connection {
  let sqlite: Sqlite
  try {
    if (path !== ':memory:' && !readonly) mkdirSync(dirname(path), { recursive: true })
    sqlite = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS })
  } catch (error) {
    throw new StoreError('database', `cannot open the database at ${path}: ${messageOf(error)}`, {
      cause: error,
    })
  }
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    sqlite.pragma('foreign_keys = ON')
    refuseNewerSchema(sqlite, path)
    if (readonly) {
      if (pendingMigrations(sqlite) > 0)
        throw new StoreError(
          'database',
          `the database at ${path} is from an older version and needs upgrading; open it once without readonly`,
        )
    } else {
      if (path !== ':memory:') retryBusy(() => sqlite.pragma('journal_mode = WAL'))
      sqlite.pragma('synchronous = NORMAL')
      applyMigrations(sqlite)
    }
    return { sqlite, db: drizzle({ client: sqlite }) }
  } catch (error) {
    sqlite.close()
    if (error instanceof StoreError) throw error
    if (isDamage(error)) throw damaged(path, error)
    throw new StoreError('database', `cannot prepare the database at ${path}: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

export function damaged(path: string | undefined, error: unknown): UnusableDatabaseError {
  const where = path ? `the database at ${path}` : 'the database'
  return new UnusableDatabaseError(
    'damaged',
    `${where} is damaged or is not a Penguin database (${messageOf(error)}). Nothing was changed; move it aside to start a new one, or use another database file.`,
    { ...(path ? { path } : {}), cause: error },
  )
}

/**
 * A database whose applied migrations go past the last one this version ships was written by a newer
 * Penguin: its tables may not be what this code expects, so it is refused rather than misread.
 */
function refuseNewerSchema(sqlite: Sqlite, path: string): void {
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE)
  if (!hasTable) return
  const rows = sqlite.prepare(`SELECT created_at AS at FROM ${MIGRATIONS_TABLE}`).all() as {
    at: number | string
  }[]
  const known = migrationTimes()
  const latest = Math.max(-1, ...known)
  const unknown = rows.filter((row) => Number(row.at) > latest).length
  if (unknown === 0) return
  throw new UnusableDatabaseError(
    'newer',
    `the database at ${path} was written by a newer version of Penguin (${unknown} schema change${unknown === 1 ? '' : 's'} this version does not know). Nothing was changed; upgrade Penguin to use it, or use another database file.`,
    { path },
  )
}

/**
 * How many of the package's migrations the database has not had yet. Every open asks, so this reads
 * only the journal's timestamps (what drizzle's migrator compares too), not the SQL of every
 * migration with its hash: those are read only when something is pending.
 */
export function pendingMigrations(sqlite: Sqlite): number {
  const journal = migrationTimes()
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE)
  if (!hasTable) return journal.length
  const last = sqlite
    .prepare(`SELECT created_at AS at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`)
    .get() as { at: number | string } | undefined
  const appliedUpTo = last ? Number(last.at) : -1
  return journal.filter((when) => when > appliedUpTo).length
}

/** The `when` of each migration in drizzle-kit's journal, in order. */
function migrationTimes(): number[] {
  const path = `${migrationsFolder()}/meta/_journal.json`
  let journal: { entries?: { when?: unknown }[] }
  try {
    journal = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new StoreError('database', `cannot read the migrations journal ${path}: ${messageOf(error)}`, {
      cause: error,
    })
  }
  return (journal.entries ?? []).map((entry) => Number(entry.when))
}

/**
 * drizzle's `migrate` reads the applied state before its own (deferred) BEGIN, so two processes
 * opening a new file at once can both try the same migration; the loser's transaction rolls back.
 * Retrying after it sees the winner's work turns that race into a no-op.
 */
function applyMigrations(sqlite: Sqlite): void {
  for (let attempt = 1; ; attempt++) {
    if (pendingMigrations(sqlite) === 0) return
    try {
      migrate(drizzle({ client: sqlite }), {
        migrationsFolder: migrationsFolder(),
        migrationsTable: MIGRATIONS_TABLE,
      })
      return
    } catch (error) {
      if (attempt >= 20) throw error
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
      sleep(10 * attempt)
    }
  }
}

function retryBusy<T>(fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn()
    } catch (error) {
      if (attempt >= 20 || !String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error
      sleep(10 * attempt)
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * `penguin db migrate` for a SQLite file: applies what is pending (as any open does) and says how
 * many schema changes that was.
 */
export function migrateSqlite(path: string): { applied: number; path: string } {
  const resolved = path === ':memory:' ? path : resolve(path)
  let applied = migrationTimes().length
  if (resolved !== ':memory:' && existsSync(resolved)) {
    try {
      const raw = new Database(resolved, { readonly: true, fileMustExist: true })
      try {
        applied = pendingMigrations(raw)
      } finally {
        raw.close()
      }
    } catch {
      // Damaged or not a database: openConnection below says so properly.
    }
  }
  openConnection(resolved, false).sqlite.close()
  return { applied, path: resolved }
}
