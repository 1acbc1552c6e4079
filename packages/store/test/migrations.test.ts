import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { describe, expect, it } from 'vitest'
import { openStore, StoreError, UnusableDatabaseError } from '../src/index.js'
import { openConnection } from '../src/open.js'
import { registerCleanup, tempDir } from './helpers.js'

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url))

interface Journal {
  entries: { tag: string }[]
}

/** A copy of the migrations folder with only the first `count` migrations in its journal. */
function firstMigrations(count: number): string {
  const folder = join(tempDir(), 'drizzle')
  cpSync(MIGRATIONS, folder, { recursive: true })
  const journalPath = join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal
  journal.entries = journal.entries.slice(0, count)
  writeFileSync(journalPath, JSON.stringify(journal))
  return folder
}

describe('migrations', () => {
  it('ships the migrations in order', () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as Journal
    expect(journal.entries.map((e) => e.tag).slice(0, 4)).toEqual([
      '0000_initial',
      '0001_failure_reason_and_event_indexes',
      '0002_sessions',
      '0003_memories_fts',
    ])
  })

  it('upgrades a database made by the first migration in place, keeping its data', () => {
    const path = join(tempDir(), 'old.db')
    const old = new Database(path)
    migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(1) })
    const columns = () =>
      (old.prepare('PRAGMA table_info(tasks)').all() as { name: string }[]).map((c) => c.name)
    expect(columns()).not.toContain('failure_reason')
    const now = Date.now()
    old
      .prepare(
        "INSERT INTO projects (id, name, status, created_at, updated_at) VALUES (1, 'legacy', 'active', ?, ?)",
      )
      .run(now, now)
    const insertTask = old.prepare(
      `INSERT INTO tasks (id, project_id, title, acceptance_criteria, status, priority, created_at, updated_at)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?)`,
    )
    insertTask.run(1, 'old done', '["it works"]', 'done', 0, now, now)
    insertTask.run(2, 'old pending', '[]', 'pending', 3, now, now)
    old.prepare('INSERT INTO task_dependencies (task_id, depends_on_id) VALUES (2, 1)').run()
    old.close()

    const store = openStore({ path })
    registerCleanup(() => store.close())
    const project = store.requireProject('legacy')
    expect(project.createdAt).toBe(new Date(now).toISOString())
    expect(store.requireTask(1)).toMatchObject({ title: 'old done', acceptanceCriteria: ['it works'] })
    expect(store.requireTask(2)).toMatchObject({ dependsOn: [1], priority: 3, failureReason: null })
    expect(store.nextReadyTask(project.id)?.id).toBe(2)
    // The column from migration 0001 is there and works.
    store.transitionTask(2, 'in_progress')
    expect(store.transitionTask(2, 'failed', { reason: 'verify_failed' }).failureReason).toBe('verify_failed')

    const check = new Database(path, { readonly: true })
    registerCleanup(() => check.close())
    const applied = check.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as Journal
    expect(applied.n).toBe(journal.entries.length)
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as {
      name: string
    }[]
    expect(indexes.map((i) => i.name)).toContain('events_project_idx')
    // …and so are the tables of migrations 0002 and 0003.
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string
    }[]
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['sessions', 'messages', 'checkpoints', 'memories', 'memories_fts']),
    )
  })

  it('upgrades a database from before prompt-cache figures (0000–0005): old rows read as zero', () => {
    const path = join(tempDir(), 'old.db')
    const old = new Database(path)
    migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(6) })
    const now = Date.now()
    old
      .prepare(
        "INSERT INTO sessions (id, workspace, input_tokens, output_tokens, cost_usd, created_at, updated_at) VALUES ('ses_old', '/w', 100, 10, 0.5, ?, ?)",
      )
      .run(now, now)
    old
      .prepare(
        `INSERT INTO messages (session_id, role, parts, input_tokens, output_tokens, created_at) VALUES ('ses_old', 'assistant', '[{"type":"text","text":"hi"}]', 100, 10, ?)`,
      )
      .run(now)
    old.close()

    const store = openStore({ path })
    registerCleanup(() => store.close())
    expect(store.getSession('ses_old')).toMatchObject({
      inputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    })
    expect(store.listMessages('ses_old')[0]).toMatchObject({ inputTokens: 100, cacheReadTokens: 0 })
    expect(store.usageSummary().total).toMatchObject({
      inputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    })
  })

  it('upgrades a database from before sessions (0000 and 0001) through the session migrations', () => {
    const path = join(tempDir(), 'old.db')
    const old = new Database(path)
    migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(2) })
    const now = Date.now()
    old
      .prepare(
        "INSERT INTO projects (id, name, status, workspace, created_at, updated_at) VALUES (7, 'legacy', 'active', '/w', ?, ?)",
      )
      .run(now, now)
    old
      .prepare(
        "INSERT INTO events (type, project_id, data, created_at) VALUES ('project.created', 7, '{}', ?)",
      )
      .run(now)
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'sessions'").get()).toBeUndefined()
    old.close()

    const store = openStore({ path })
    registerCleanup(() => store.close())
    expect(store.requireProject('legacy').workspace).toBe('/w')
    expect(store.listEvents({ projectId: 7 })).toHaveLength(1)
    const session = store.createSession({ workspace: '/w', projectId: 7, title: 'after upgrade' })
    store.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }])
    const checkpoint = store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'abc' })
    expect(checkpoint.messageCount).toBe(1)
    store.saveMemory({ scope: 'project:7', content: 'lint with biome check' })
    expect(store.searchMemories('how do I lint?', { scopes: ['project:7'] })).toHaveLength(1)
    // Deleting the old project unlinks its sessions rather than deleting them.
    store.deleteProject(7)
    expect(store.requireSession(session.id)).toMatchObject({ projectId: null, messageCount: 1 })

    const check = new Database(path, { readonly: true })
    registerCleanup(() => check.close())
    const triggers = check
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
      .all()
    expect(triggers).toEqual([
      { name: 'memories_fts_delete' },
      { name: 'memories_fts_insert' },
      { name: 'memories_fts_update' },
    ])
  })

  it('opens an up-to-date database without migrating again, and a read-only one', () => {
    const path = join(tempDir(), 'nested', 'dirs', 'penguin.db')
    const first = openStore({ path })
    first.createProject({ name: 'web' })
    first.close()
    const second = openStore({ path })
    expect(second.listProjects().map((p) => p.name)).toEqual(['web'])
    second.close()
    const readonly = openStore({ path, readonly: true })
    registerCleanup(() => readonly.close())
    expect(readonly.requireProject('web').name).toBe('web')
    expect(() => readonly.createProject({ name: 'api' })).toThrow(StoreError)
  })

  it('refuses to create a file when read-only, and to read-only open an old one', () => {
    const dir = tempDir()
    expect(() => openStore({ path: join(dir, 'missing.db'), readonly: true })).toThrow(StoreError)
    const path = join(dir, 'old.db')
    const old = new Database(path)
    migrate(drizzle({ client: old }), { migrationsFolder: firstMigrations(1) })
    old.close()
    expect(() => openStore({ path, readonly: true })).toThrow(/needs upgrading/)
  })

  it('sets the pragmas', () => {
    const { sqlite } = openConnection(join(tempDir(), 'p.db'), false)
    registerCleanup(() => sqlite.close())
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
    // NORMAL
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1)
  })
})

describe('in memory', () => {
  it('opens a throwaway store with the whole schema', () => {
    const store = openStore({ path: ':memory:' })
    registerCleanup(() => store.close())
    expect(store.path).toBe(':memory:')
    const project = store.createProject({ name: 'scratch' })
    const task = store.createTask({ projectId: project.id, title: 'a' })
    expect(store.transitionTask(task.id, 'in_progress').failureReason).toBeNull()
  })
})

describe('databases this version cannot use', () => {
  it('a file that is not a database is refused as damaged, and left as it was', () => {
    const path = join(tempDir(), 'penguin.db')
    writeFileSync(path, 'this is not sqlite, just some text that is long enough to have a header\n')
    const error = (() => {
      try {
        openStore({ path })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(UnusableDatabaseError)
    expect(error).toMatchObject({ reason: 'damaged', code: 'database', path })
    expect((error as Error).message).toMatch(/is damaged or is not a Penguin database/)
    expect(readFileSync(path, 'utf8')).toMatch(/^this is not sqlite/)
  })

  it('a database with schema changes from a newer Penguin is refused, not migrated or misread', () => {
    const path = join(tempDir(), 'penguin.db')
    openStore({ path }).close()
    const raw = new Database(path)
    const latest = raw.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as {
      at: number
    }
    raw
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('future', latest.at + 1)
    raw.close()
    for (const readonly of [false, true]) {
      expect(() => openStore({ path, readonly })).toThrow(UnusableDatabaseError)
      expect(() => openStore({ path, readonly })).toThrow(/written by a newer version of Penguin/)
    }
  })
})
