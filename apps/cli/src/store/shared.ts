import type { AsyncStore } from '@penguin-ai/store'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { databaseUrl } from '../commands/db.js'
import { withStore } from './open.js'

export interface StoreFlags {
  /** `--db FILE`: the SQLite file. */
  db?: string | undefined
  /** `--database URL`: PostgreSQL. */
  database?: string | undefined
}

/**
 * Opens the database the servers use, for one command that reads or changes what they serve
 * (`penguin token`, `penguin stats`): PostgreSQL with `--database URL` (or PENGUIN_DATABASE_URL, unless
 * `--db` names a SQLite file), else the SQLite file, as the async face both backends share. Closed
 * after. Store errors are one line: a database that cannot be reached is exit 1, anything the user
 * can fix (an unknown id, a database from a newer Penguin) exit 2.
 */
export async function withServerStore<T>(
  flags: StoreFlags,
  fn: (store: AsyncStore) => Promise<T>,
): Promise<T> {
  if (flags.database !== undefined && flags.db !== undefined)
    throw usageError('Give --database (PostgreSQL) or --db (SQLite), not both.')
  const url = flags.db === undefined ? databaseUrl(flags.database) : undefined
  if (url === undefined) return withStore(flags.db, (store) => fn(store.async))
  const { openPostgresStore, StoreError, UnusableDatabaseError } = await import('@penguin-ai/store')
  const oneLine = (error: unknown): unknown => {
    if (error instanceof UnusableDatabaseError) return usageError(error.message)
    if (error instanceof StoreError)
      return new CliError(error.message, error.code === 'database' ? EXIT.failed : EXIT.usage)
    return error
  }
  let store: AsyncStore
  try {
    store = await openPostgresStore(url, { maxConnections: 2 })
  } catch (error) {
    throw oneLine(error)
  }
  try {
    return await fn(store)
  } catch (error) {
    throw oneLine(error)
  } finally {
    await store.close()
  }
}
