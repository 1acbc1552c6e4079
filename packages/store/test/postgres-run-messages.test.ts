/**
 * Messages sent to a run over PostgreSQL (steering, follow-ups: `control_messages` rows addressed
 * to the run): queued only while the run's lease is unfinished, read without being taken, and
 * deleted in the transaction that stores the message in its session — so a message is stored once
 * even when the process delivering it dies on the way (then the row is still there to deliver).
 */
import { describe, expect, it } from 'vitest'
import { openPostgresStore, StoreError } from '../src/index.js'
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

describe("a run's messages on PostgreSQL", () => {
  it('are queued while the run is unfinished, read without being taken, and go when stored', async () => {
    const url = await emptyPostgres()
    const store = await openPostgresStore(url)
    try {
      const session = await store.createSession({ workspace: '/w' })
      const { live } = store
      // No such run, then a run that ended: refused (nobody would read it).
      expect(await live.sendRunControl('r1', 'run:r1', body('too early'))).toBe(false)
      await lease(url, 'r1', session.id)
      expect(await live.sendRunControl('r1', 'run:r1', body('one'))).toBe(true)
      expect(await live.sendRunControl('r1', 'run:r1', body('two'))).toBe(true)
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
      expect(await live.sendRunControl('r1', 'run:r1', body('late'))).toBe(false)
      expect(await live.readControl('run:r1', [])).toHaveLength(1)
    } finally {
      await store.close()
    }
  })
})
