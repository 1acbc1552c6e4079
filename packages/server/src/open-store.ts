/**
 * The server's database: a SQLite file (the default, embedded) or PostgreSQL (`--database
 * postgres://…`), shared by several servers and workers. Either way the server works on the async
 * store; the Postgres module (and `pg`) is loaded only when a URL is given.
 */
import { dirname } from 'node:path'
import {
  type AsyncStore,
  isPostgresUrl,
  openPostgresStore,
  openStore,
  StoreError,
  UnusableDatabaseError,
} from '@penguin-ai/store'

/** Where the server's records live: exactly one of a file and a URL. */
export type DatabaseChoice =
  | { dbPath: string; databaseUrl?: undefined }
  | { databaseUrl: string; dbPath?: string }

export interface OpenedServerStore {
  store: AsyncStore
  /** The SQLite file (hidden from sandboxed commands); undefined on Postgres. */
  databaseFile?: string
  /** Where checkpoints' shadow repositories go by default: beside the SQLite file. */
  dataDir?: string
  /** How the database is shown in logs: the file, or the URL without its password. */
  shown: string
  close(): Promise<void>
}

export async function openServerStore(choice: DatabaseChoice): Promise<OpenedServerStore> {
  if (choice.databaseUrl !== undefined) {
    if (!isPostgresUrl(choice.databaseUrl))
      throw new StoreError('database', 'the database URL must start with postgres:// or postgresql://')
    const store = await openPostgresStore(choice.databaseUrl)
    return { store, shown: store.url, close: () => store.close() }
  }
  const path = choice.dbPath
  try {
    const store = openStore({ path })
    return {
      store: store.async,
      shown: store.path,
      ...(store.path === ':memory:' ? {} : { databaseFile: store.path, dataDir: dirname(store.path) }),
      close: async () => store.close(),
    }
  } catch (error) {
    // Damaged or from a newer Penguin: passed on as it is, so `penguin serve` can exit 2 with it.
    if (error instanceof UnusableDatabaseError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`cannot open the database at ${path}: ${reason}`)
  }
}
