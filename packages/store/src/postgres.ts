/**
 * The PostgreSQL backend's connection: a `pg` pool, and the migrations of drizzle/postgres applied
 * on open. Loaded only for a `postgres://` database (index.ts imports it lazily), so SQLite-only
 * use never loads `pg`. `pg` is CommonJS: it is imported statically here, and this module lazily.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { redactDatabaseUrl } from './database.js'
import { StoreError, UnusableDatabaseError } from './errors.js'
import { asStoreError, CHANGES_CHANNEL, messageOf, type PgDb } from './pg/context.js'
import { listenClient } from './pg/listen.js'
import { createPostgresLive, type PostgresLive } from './pg/live.js'
import { type ChangeListenerConnection, createPgStore } from './pg/store.js'
import * as schema from './schema-pg.js'
import type { AsyncStore } from './types.js'

const MIGRATIONS_TABLE = '__drizzle_migrations'
/** How long connecting may take before it is an error (a firewalled host must not hang a command). */
const CONNECT_TIMEOUT_MS = 15_000
const MIGRATIONS_SCHEMA = 'public'
/** pg_advisory_lock key serialising migrations between servers opening one database at once. */
const MIGRATION_LOCK = 0x70656e67 // "peng"

/** `drizzle/postgres` beside `src/` and `dist/`: one level up from this module in both layouts. */
export function postgresMigrationsFolder(): string {
  return fileURLToPath(new URL('../drizzle/postgres', import.meta.url))
}

export interface OpenPostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number
  /** Apply pending migrations (default true); false refuses a database that needs them. */
  migrate?: boolean
}

export interface PostgresStore extends AsyncStore {
  /** The URL without its password. */
  readonly url: string
  /**
   * What servers and workers on this database share at run time: live events with database-wide
   * ids, session holds, permission asks, control messages (see pg/live.ts).
   */
  readonly live: PostgresLive
}

export async function openPostgresStore(
  url: string,
  options: OpenPostgresOptions = {},
): Promise<PostgresStore> {
  const { pool, db, shown } = await connectPostgres(url, options)
  return Object.assign(
    createPgStore(db, () => pool.end(), listener(url)),
    { url: shown, live: createPostgresLive(pool, listenClient(pg.Client, url)) },
  )
}

/** A dedicated connection LISTENing for other processes' changes (pooled ones cannot hold LISTEN). */
function listener(url: string): ChangeListenerConnection {
  return async (onNotice) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
    // A lost listening connection stops cross-process events; the store itself carries on.
    client.on('error', () => {})
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload) onNotice(message.payload)
    })
    await client.connect()
    await client.query(`LISTEN ${CHANGES_CHANNEL}`)
    return () => client.end()
  }
}

/** A pool on a migrated (or checked, with `migrate: false`) database, and drizzle over it. */
export async function connectPostgres(
  url: string,
  options: OpenPostgresOptions = {},
): Promise<{ pool: pg.Pool; db: PgDb; shown: string; applied: number }> {
  const shown = redactDatabaseUrl(url)
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  })
  // An idle client losing its server (a restart) must not crash the process; the next query reports it.
  pool.on('error', () => {})
  let applied: number
  try {
    applied = await prepare(pool, shown, options.migrate ?? true)
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
  return { pool, db: drizzle({ client: pool, schema }) as unknown as PgDb, shown, applied }
}

/**
 * Applies what is pending (under an advisory lock; returns how many), or refuses a database from a
 * newer Penguin.
 */
async function prepare(pool: pg.Pool, shown: string, apply: boolean): Promise<number> {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (error) {
    throw new StoreError('database', `cannot connect to the database at ${shown}: ${messageOf(error)}`, {
      cause: error,
    })
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      const applied = await appliedTimes(client)
      const known = migrationTimes()
      const latest = Math.max(-1, ...known)
      const newer = applied.filter((at) => at > latest).length
      if (newer > 0)
        throw new UnusableDatabaseError(
          'newer',
          `the database at ${shown} was written by a newer version of Penguin (${newer} schema change${newer === 1 ? '' : 's'} this version does not know). Nothing was changed; upgrade Penguin to use it, or use another database.`,
        )
      const upTo = Math.max(-1, ...applied)
      const pending = known.filter((when) => when > upTo).length
      if (pending === 0) return 0
      if (!apply)
        throw new StoreError(
          'database',
          `the database at ${shown} needs ${pending} schema change${pending === 1 ? '' : 's'}: run penguin db migrate --database …`,
        )
      await migrate(drizzle({ client }), {
        migrationsFolder: postgresMigrationsFolder(),
        migrationsTable: MIGRATIONS_TABLE,
        migrationsSchema: MIGRATIONS_SCHEMA,
      })
      return pending
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } catch (error) {
    if (error instanceof StoreError) throw error
    const converted = asStoreError(error)
    if (converted instanceof StoreError)
      throw new StoreError('database', `cannot prepare the database at ${shown}: ${converted.message}`, {
        cause: error,
      })
    throw new StoreError('database', `cannot prepare the database at ${shown}: ${messageOf(error)}`, {
      cause: error,
    })
  } finally {
    client.release()
  }
}

async function appliedTimes(client: pg.PoolClient): Promise<number[]> {
  const exists = await client.query('SELECT to_regclass($1) AS name', [
    `${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`,
  ])
  if (!exists.rows[0]?.name) return []
  const { rows } = await client.query<{ at: string }>(
    `SELECT created_at AS at FROM "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`,
  )
  return rows.map((row) => Number(row.at))
}

/** How many of this build's migrations the database has not had yet. */
export async function pendingPostgresMigrations(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  pool.on('error', () => {})
  try {
    const client = await pool.connect().catch((error: unknown) => {
      throw new StoreError(
        'database',
        `cannot connect to the database at ${redactDatabaseUrl(url)}: ${messageOf(error)}`,
        {
          cause: error,
        },
      )
    })
    try {
      const applied = await appliedTimes(client)
      const upTo = Math.max(-1, ...applied)
      return migrationTimes().filter((when) => when > upTo).length
    } finally {
      client.release()
    }
  } finally {
    await pool.end()
  }
}

function migrationTimes(): number[] {
  const path = `${postgresMigrationsFolder()}/meta/_journal.json`
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
