/**
 * The store's two faces. A light module (types only besides this): sessions import it without
 * loading the store itself, so a run's first request does not wait for drizzle.
 */
import type { AnyStore, AsyncStore } from './types.js'

/** The async face of a store: the SQLite store's `async`, or an AsyncStore (Postgres) itself. */
export function asAsyncStore(store: AnyStore): AsyncStore {
  return 'async' in store ? store.async : store
}
