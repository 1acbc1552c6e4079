import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach } from 'vitest'
import { openStore, type RecordedChange, type Store } from '../src/index.js'

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
