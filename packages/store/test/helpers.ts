import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '@penguin-ai/test-postgres'
import Database from 'better-sqlite3'
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

/** A fresh, empty database of the backend, as the async store; closed (and dropped) after the test. */
export async function openBackend(backend: Backend): Promise<AsyncStore> {
  if (backend === 'sqlite') return tempStore().async
  const database = await createTestDatabase(inject('postgresUrl'), 'store')
  const store = await openPostgresStore(database.url)
  asyncCleanups.push(async () => {
    await store.close()
    await database.drop()
  })
  return store
}

/** A fresh Postgres database (no store on it yet): its URL, dropped after the test. */
export async function emptyPostgres(): Promise<string> {
  const database = await createTestDatabase(inject('postgresUrl'), 'store')
  asyncCleanups.push(() => database.drop())
  return database.url
}
