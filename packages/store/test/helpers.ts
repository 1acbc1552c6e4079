import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '@penguin-ai/test-postgres'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterEach, inject } from 'vitest'
import {
  type AsyncStore,
  openPostgresStore,
  openStore,
  type RecordedChange,
  type Store,
} from '../src/index.js'

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

/** A fresh directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'penguin-store-test-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A store on a real database file in a temp dir, closed after the test. */
export function tempStore(): Store {
  const store = openStore({ path: join(tempDir(), 'penguin.db') })
  cleanups.push(() => store.close())
  return store
}

/** A store with one project, and the change events it emits from now on. */
export function setup(): { store: Store; projectId: number; emitted: RecordedChange[] } {
  const store = tempStore()
  const projectId = store.createProject({ name: 'web' }).id
  const emitted: RecordedChange[] = []
  store.subscribe((event) => emitted.push(event))
  return { store, projectId, emitted }
}

export function registerCleanup(cleanup: () => void): void {
  cleanups.push(cleanup)
}

/** Makes the database itself refuse tasks with this title, to fail a transaction half way. */
export function refuseTitle(path: string, title: string): void {
  const db = new Database(path)
  db.prepare(
    `CREATE TRIGGER refuse_title BEFORE INSERT ON tasks WHEN NEW.title = '${title.replaceAll("'", "''")}'
     BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`,
  ).run()
  db.close()
}

const asyncCleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of asyncCleanups.splice(0).reverse()) await cleanup()
})

export const BACKENDS = ['sqlite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

/** An async store of either backend, and where its database is (for raw SQL in tests). */
export type BackendStore = AsyncStore & { readonly where: { sqlite: string } | { postgres: string } }

/** A fresh, empty database of the backend, as the async store; closed (and dropped) after the test. */
export async function openBackend(backend: Backend): Promise<BackendStore> {
  if (backend === 'sqlite') {
    const store = tempStore()
    return Object.assign(store.async, { where: { sqlite: store.path } })
  }
  const database = await createTestDatabase(inject('postgresUrl'), 'store')
  const store = await openPostgresStore(database.url)
  asyncCleanups.push(async () => {
    await store.close()
    await database.drop()
  })
  return Object.assign(store, { where: { postgres: database.url } })
}

/** Runs raw SQL on the store's database (its own connection), for what the API cannot do. */
export async function rawSql(
  store: BackendStore,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if ('sqlite' in store.where) {
    const db = new Database(store.where.sqlite)
    try {
      const statement = db.prepare(text)
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[]
      statement.run(...params)
      return []
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: store.where.postgres })
  await client.connect()
  try {
    return (await client.query(text, params)).rows
  } finally {
    await client.end()
  }
}

/** A fresh Postgres database (no store on it yet): its URL, dropped after the test. */
export async function emptyPostgres(): Promise<string> {
  const database = await createTestDatabase(inject('postgresUrl'), 'store')
  asyncCleanups.push(() => database.drop())
  return database.url
}

/** `setup()` on either backend: a store with one project, and the change events from now on. */
export async function setupBackend(
  backend: Backend,
): Promise<{ store: BackendStore; projectId: number; emitted: RecordedChange[] }> {
  const store = await openBackend(backend)
  const projectId = (await store.createProject({ name: 'web' })).id
  const emitted: RecordedChange[] = []
  store.subscribe((event) => emitted.push(event))
  return { store, projectId, emitted }
}

/** `refuseTitle` on either backend: a trigger in the database rejects tasks with this title. */
export async function refuseTitleIn(store: BackendStore, title: string): Promise<void> {
  if ('sqlite' in store.where) return refuseTitle(store.where.sqlite, title)
  const literal = title.replaceAll("'", "''")
  await rawSql(
    store,
    `CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN IF NEW.title = '${literal}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$`,
  )
  await rawSql(
    store,
    'CREATE TRIGGER refuse_title BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_title()',
  )
}
