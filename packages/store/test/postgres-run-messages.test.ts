/**
 * Messages sent to a run over PostgreSQL (steering, follow-ups: `control_messages` rows addressed
 * to the run): queued only while the run's lease is unfinished, read without being taken, and
 * deleted in the transaction that stores the message in its session — so a message is stored once
 * even when the process delivering it dies on the way (then the row is still there to deliver).
 */
import { describe, expect, it } from 'vitest'
import { inboxClosedOf, LeaseLostError, NotFoundError, openPostgresStore, StoreError } from '../src/index.js'
import { emptyPostgres, rawSql } from './helpers.js'

async function lease(url: string, runId: string, sessionId: string): Promise<void> {
  await rawSql(
    { where: { postgres: url } } as Parameters<typeof rawSql>[0],
    `INSERT INTO run_leases (run_id, kind, session_id, workspace, job, status, attempts, heartbeat_at, enqueued_at)
     VALUES ($1, 'session', $2, '/w', '{}', 'running', 1, now(), now())`,
    [runId, sessionId],
  )
}

const body = (text: string) => JSON.stringify({ delivery: 'steer', text })
/** Queued for the run itself (it still reads its messages). */
const forTheRun = { nextRunId: null, first: false }

describe("a run's messages on PostgreSQL", () => {
  it('are queued while the run is unfinished, read without being taken, and go when stored', async () => {
    const url = await emptyPostgres()
    const store = await openPostgresStore(url)
    try {
      const session = await store.createSession({ workspace: '/w' })
      const { live } = store
      // No such run, then a run that ended: refused (nobody would read it).
      expect(await live.sendRunControl('r1', 'run:r1', body('too early'))).toBeUndefined()
      await lease(url, 'r1', session.id)
      expect(await live.sendRunControl('r1', 'run:r1', body('one'))).toEqual(forTheRun)
      expect(await live.sendRunControl('r1', 'run:r1', body('two'))).toEqual(forTheRun)
      const read = await live.readControl('run:r1', [])
      expect(read.map((row) => JSON.parse(row.body).text)).toEqual(['one', 'two'])
      // Read again: still there; what was seen is skipped.
      const [one, two] = read.map((row) => row.id) as [number, number]
      expect((await live.readControl('run:r1', [one])).map((row) => row.id)).toEqual([two])

      // A failed store write keeps the row; the one that stores the message deletes it.
      await expect(
        store.appendMessages('no-such-session', [{ role: 'user', parts: [{ type: 'text', text: 'one' }] }], {
          consumes: [one],
        }),
      ).rejects.toBeInstanceOf(StoreError)
      expect(await live.readControl('run:r1', [])).toHaveLength(2)
      await store.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text', text: 'one' }] }], {
        consumes: [one],
      })
      expect((await live.readControl('run:r1', [])).map((row) => row.id)).toEqual([two])
      await expect(store.appendMessages(session.id, [], { consumes: [Number.NaN] })).rejects.toBeInstanceOf(
        StoreError,
      )

      await rawSql(
        { where: { postgres: url } } as Parameters<typeof rawSql>[0],
        "UPDATE run_leases SET finished_at = now(), status = 'completed' WHERE run_id = 'r1'",
      )
      expect(await live.sendRunControl('r1', 'run:r1', body('late'))).toBeUndefined()
      expect(await live.readControl('run:r1', [])).toHaveLength(1)
    } finally {
      await store.close()
    }
  })

  it("fenced by the run's lease: stored only while the writer holds it, on its attempt", async () => {
    const url = await emptyPostgres()
    const store = await openPostgresStore(url)
    const run = (text: string) => rawSql({ where: { postgres: url } } as Parameters<typeof rawSql>[0], text)
    try {
      const session = await store.createSession({ workspace: '/w' })
      await run(
        `INSERT INTO run_leases (run_id, kind, session_id, workspace, job, status, worker_id, attempts, heartbeat_at, enqueued_at)
         VALUES ('r1', 'session', '${session.id}', '/w', '{}', 'running', 'w1', 1, now(), now())`,
      )
      const said = (text: string) => [{ role: 'user' as const, parts: [{ type: 'text' as const, text }] }]
      const fence = { runId: 'r1', workerId: 'w1', attempt: 1 }
      await store.appendMessages(session.id, said('while held'), { fence })
      expect(await store.live.sendRunControl('r1', 'run:r1', body('steer'))).toEqual(forTheRun)
      const [row] = await store.live.readControl('run:r1', [])

      // A sweep took the lease back (the worker missed its heartbeat); the worker goes on, slowly.
      await run("UPDATE run_leases SET worker_id = NULL, status = 'queued' WHERE run_id = 'r1'")
      const lost = store.appendMessages(session.id, said('after it was taken back'), {
        fence,
        consumes: [row?.id as number],
      })
      await expect(lost).rejects.toBeInstanceOf(LeaseLostError)
      await expect(lost).rejects.toThrow(/run r1 is no longer held by this worker/)
      // The same worker took it again (a later attempt): the old attempt still loses.
      await run("UPDATE run_leases SET worker_id = 'w1', attempts = 2 WHERE run_id = 'r1'")
      await expect(store.appendMessages(session.id, said('old attempt'), { fence })).rejects.toBeInstanceOf(
        LeaseLostError,
      )
      await store.appendMessages(session.id, said('new attempt'), { fence: { ...fence, attempt: 2 } })
      // Nothing of the losers was stored: not the messages, not the usage, nor the row they consumed.
      expect((await store.listMessages(session.id)).map((m) => m.parts[0])).toMatchObject([
        { text: 'while held' },
        { text: 'new attempt' },
      ])
      expect(await store.live.readControl('run:r1', [])).toHaveLength(1)
      // A missing session is still "not found", not a lost lease.
      await expect(store.appendMessages('no-such-session', said('x'), { fence })).rejects.toBeInstanceOf(
        NotFoundError,
      )
      await run("UPDATE run_leases SET finished_at = now(), status = 'completed' WHERE run_id = 'r1'")
      await expect(
        store.appendMessages(session.id, said('after the end'), { fence: { ...fence, attempt: 2 } }),
      ).rejects.toBeInstanceOf(LeaseLostError)
    } finally {
      await store.close()
    }
  })

  it('once the run stopped reading, tell senders the run after takes theirs: the first as its prompt', async () => {
    const url = await emptyPostgres()
    const store = await openPostgresStore(url)
    try {
      const session = await store.createSession({ workspace: '/w' })
      const { live } = store
      await lease(url, 'r1', session.id)
      expect(await live.sendRunControl('r1', 'run:r1', body('read in time'))).toEqual(forTheRun)
      await live.closeRunInbox('run:r1', 'r2')
      const late = await Promise.all(
        ['late 1', 'late 2', 'late 3'].map((text) => live.sendRunControl('r1', 'run:r1', body(text))),
      )
      // Exactly one is the next run's prompt, however the senders raced: the oldest row of them.
      expect(late.filter((sent) => sent?.first)).toHaveLength(1)
      expect(late.every((sent) => sent?.nextRunId === 'r2')).toBe(true)
      const rows = await live.readControl('run:r1', [])
      const closedAt = rows.findIndex((row) => inboxClosedOf(row.body)?.nextRunId === 'r2')
      expect(closedAt).toBe(1)
      const firstText = JSON.parse(rows[closedAt + 1]?.body ?? '{}').text
      expect(late[['late 1', 'late 2', 'late 3'].indexOf(firstText)]?.first).toBe(true)
      expect(inboxClosedOf(body('a message'))).toBeUndefined()
    } finally {
      await store.close()
    }
  })
})
