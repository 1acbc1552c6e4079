import type { Store } from '@penguin-ai/store'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { requireSqliteDriver } from './driver.js'
import { databaseLocation } from './location.js'

/**
 * Opens the project store for one command and closes it after. The store package (and SQLite) is
 * loaded only here, so commands that do not need it never pay for it. Store errors a user can fix
 * (unknown ids, invalid transitions, cycles, a damaged or newer database) become usage errors:
 * exit 2, one clear line.
 */
export async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T> | T): Promise<T> {
  requireSqliteDriver()
  const { openStore, StoreError, UnusableDatabaseError } = await import('@penguin-ai/store')
  const path = await databaseLocation(db)
  let store: Store
  try {
    store = openStore({ path })
  } catch (error) {
    // Damaged, or from a newer Penguin: nothing a retry fixes, and nothing was changed.
    if (error instanceof UnusableDatabaseError) throw usageError(error.message)
    const reason = error instanceof Error ? error.message : String(error)
    throw new CliError(
      `cannot open the project database at ${path}: ${reason}. Pass --db FILE or set PENGUIN_DB to a writable location.`,
      EXIT.failed,
    )
  }
  try {
    return await fn(store)
  } catch (error) {
    if (error instanceof StoreError) throw usageError(error.message)
    throw error
  } finally {
    store.close()
  }
}
