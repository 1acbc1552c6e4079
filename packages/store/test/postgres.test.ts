/**
 * What only the PostgreSQL backend has: migrations applied on open under a lock (several servers
 * start at once), a database from a newer Penguin refused, and writers on separate connection
 * pools (separate servers) that lose nothing: serializable transactions retried on conflict.
 */
import { until } from '@penguin-ai/testkit'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import {
  ConflictError,
  openPostgresStore,
  pendingPostgresMigrations,
  type RecordedChange,
  redactDatabaseUrl,
  StoreError,
  UnusableDatabaseError,
} from '../src/index.js'
import { emptyPostgres } from './helpers.js'

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

describe('the PostgreSQL store', () => {
  it('applies its migrations on open, once, even when several servers open a new database at once', async () => {
    const url = await emptyPostgres()
    expect(await pendingPostgresMigrations(url)).toBeGreaterThan(0)
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStore(url, { maxConnections: 2 })),
    )
    try {
      expect(await pendingPostgresMigrations(url)).toBe(0)
      const applied = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM __drizzle_migrations')
      const tables = await query<{ name: string }>(
        url,
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      )
      expect(tables.map((t) => t.name)).toEqual([
        '__drizzle_migrations',
        'api_tokens',
        'checkpoints',
        'control_messages',
        'events',
        'live_events',
        'live_marks',
        'live_nodes',
        'memories',
        'messages',
        'pending_permissions',
        'projects',
        'run_leases',
        'runs',
        'sessions',
        'task_dependencies',
        'tasks',
      ])
      const again = await openPostgresStore(url)
      await again.close()
      expect(await query<{ n: string }>(url, 'SELECT count(*) AS n FROM __drizzle_migrations')).toEqual(
        applied,
      )
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('refuses a database with schema changes from a newer Penguin, changing nothing', async () => {
    const url = await emptyPostgres()
    await (await openPostgresStore(url)).close()
    await query(
      url,
      `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ${Date.now() + 10 ** 12})`,
    )
    const error = await openPostgresStore(url).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnusableDatabaseError)
    expect((error as UnusableDatabaseError).reason).toBe('newer')
    expect((error as Error).message).toMatch(/newer version of Penguin \(1 schema change/)
  })

  it('refuses to migrate when told not to, and says how', async () => {
    const url = await emptyPostgres()
    await expect(openPostgresStore(url, { migrate: false })).rejects.toThrow(/penguin db migrate/)
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'projects'")).toEqual(
      [],
    )
  })

  it('names an unreachable database without its password', async () => {
    const url = `${(await emptyPostgres()).replace('penguin@', 'penguin:hunter22@').replace(/port=\d+/, 'port=1')}`
    const error = await openPostgresStore(url).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as Error).message).toMatch(
      /^cannot connect to the database at postgres:\/\/penguin:\*\*\*@/,
    )
    expect((error as Error).message).not.toContain('hunter22')
    expect(redactDatabaseUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db')
  })

  it('loses no write when two servers change the same rows at once', async () => {
    const url = await emptyPostgres()
    const [one, two] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    if (!one || !two) throw new Error('not opened')
    try {
      const project = await one.createProject({ name: 'shared' })
      const session = await one.createSession({ workspace: '/w' })
      // Read-check-write operations from both sides at once: counters add up, names stay unique.
      const writes = Array.from({ length: 40 }, (_, i) => {
        const store = i % 2 === 0 ? one : two
        return Promise.all([
          store.addProjectUsage(project.id, { tokens: 1, costUsd: 0.5 }),
          store.appendMessages(session.id, [
            { role: 'assistant', parts: [{ type: 'text', text: `m${i}` }], outputTokens: 1 },
          ]),
        ])
      })
      await Promise.all(writes)
      const names = await Promise.allSettled([
        one.createProject({ name: 'race' }),
        two.createProject({ name: 'race' }),
      ])
      expect(names.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
      const refused = names.find((result) => result.status === 'rejected')
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
      expect(await two.requireProject(project.id)).toMatchObject({ tokensUsed: 40, costUsd: 20 })
      expect(await two.requireSession(session.id)).toMatchObject({ messageCount: 40, outputTokens: 40 })
      // Each append's change event counts the messages as of its commit (appends run REPEATABLE
      // READ, ordered by the session's row): 1 to 40, none twice, none stale.
      const counts = (await one.listEvents())
        .filter((event) => event.type === 'session.updated')
        .map((event) => (event.data as { session: { messageCount: number } }).session.messageCount)
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    } finally {
      await Promise.all([one.close(), two.close()])
    }
  })

  it("hears other servers' committed changes (LISTEN/NOTIFY), once each, and not their rollbacks", async () => {
    const url = await emptyPostgres()
    const [one, two] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    if (!one || !two) throw new Error('not opened')
    try {
      const heardByTwo: RecordedChange[] = []
      const heardByOne: RecordedChange[] = []
      let wake: () => void = () => {}
      two.subscribe((change) => {
        heardByTwo.push(change)
        if (heardByTwo.length === 3) wake()
      })
      one.subscribe((change) => heardByOne.push(change))
      // Subscribing starts each store's listening connection: wait until both listen.
      await until(async () => (await listeners(url)) === 2, {
        what: 'both stores to LISTEN',
        intervalMs: 100,
      })
      const three = new Promise<void>((resolve) => {
        wake = resolve
      })
      await expect(
        one.transaction(async (tx) => {
          await tx.createProject({ name: 'rolled back' })
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      const project = await one.createProject({ name: 'web' })
      const task = await one.createTask({ projectId: project.id, title: 'a' })
      await one.transitionTask(task.id, 'in_progress')
      await three
      expect(heardByTwo.map((change) => change.type)).toEqual([
        'project.created',
        'task.created',
        'task.status_changed',
      ])
      expect(heardByTwo[0]).toMatchObject({
        type: 'project.created',
        project: { id: project.id, name: 'web' },
      })
      expect(heardByTwo.map((change) => change.eventId)).toEqual(heardByOne.map((change) => change.eventId))
      // Its own changes reach a store's subscribers once, straight after commit.
      expect(heardByOne.map((change) => change.type)).toEqual([
        'project.created',
        'task.created',
        'task.status_changed',
      ])
    } finally {
      await Promise.all([one.close(), two.close()])
    }
    expect(await listeners(url)).toBe(0)
  })

  // A session write announces itself from its last statement (no separate NOTIFY round trip) and
  // reads the record back from its own UPDATE/INSERT … RETURNING: what others hear is what is stored.
  it("hears other servers' session writes with the records as stored", async () => {
    const url = await emptyPostgres()
    const [one, two] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    if (!one || !two) throw new Error('not opened')
    try {
      const heard: RecordedChange[] = []
      let wake: () => void = () => {}
      two.subscribe((change) => {
        heard.push(change)
        if (heard.length === 5) wake()
      })
      await until(async () => (await listeners(url)) === 1, { what: 'the store to LISTEN', intervalMs: 100 })
      const five = new Promise<void>((resolve) => {
        wake = resolve
      })
      const created = await one.createSession({ workspace: '/w' })
      const titled = await one.updateSession(created.id, { title: 'first' })
      await one.appendMessages(created.id, [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
      await one.appendMessages(created.id, [
        { role: 'assistant', parts: [{ type: 'text', text: 'a' }], outputTokens: 3 },
        { role: 'assistant', parts: [{ type: 'text', text: 'b' }], outputTokens: 4 },
      ])
      const checkpoint = await one.createCheckpoint({ sessionId: created.id, kind: 'turn', commit: null })
      await expect(
        one.appendMessages('ses_missing', [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }]),
      ).rejects.toMatchObject({ code: 'not_found' })
      await expect(one.updateSession('ses_missing', { title: 'x' })).rejects.toMatchObject({
        code: 'not_found',
      })
      await expect(
        one.createCheckpoint({ sessionId: 'ses_missing', kind: 'turn', commit: null }),
      ).rejects.toMatchObject({ code: 'not_found' })
      await five
      const stored = await two.requireSession(created.id)
      expect(heard.map((change) => change.type)).toEqual([
        'session.created',
        'session.updated',
        'session.updated',
        'session.updated',
        'checkpoint.created',
      ])
      expect(heard[0]).toMatchObject({ session: { ...created } })
      expect(heard[1]).toMatchObject({ session: { ...titled, title: 'first', messageCount: 0 } })
      expect(heard[2]).toMatchObject({ session: { id: created.id, messageCount: 1, outputTokens: 0 } })
      expect(heard[3]).toMatchObject({ session: { ...stored, messageCount: 3, outputTokens: 7 } })
      expect(heard[4]).toMatchObject({ checkpoint: { ...checkpoint, messageCount: 3 } })
      expect(await two.listMessages(created.id)).toHaveLength(3)
      await expect(two.listMessages('ses_missing')).rejects.toMatchObject({ code: 'not_found' })
      expect(await two.listMessages((await one.createSession({ workspace: '/w' })).id)).toEqual([])
    } finally {
      await Promise.all([one.close(), two.close()])
    }
  })
})

/** How many connections LISTEN on the store's channel (pg_stat_activity shows their last query). */
async function listeners(url: string): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
  )
  return Number(rows[0]?.n ?? 0)
}
