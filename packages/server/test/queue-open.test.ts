/**
 * Processes opening the run queue on one new database at the same moment (compose starting an API
 * server and its workers together): every one of them opens it, and the queue exists once.
 * pg-boss's own queue creation deadlocks when two run it at once (each one's foreign key waits on
 * the other's queue row), which used to fail a server's start-up with "deadlock detected".
 */
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { QUEUE_SCHEMA, RUN_QUEUE } from '../src/queue/job.js'
import { openRunQueue } from '../src/queue/open.js'

const postgres = usePostgresCluster()

async function queueRows(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(`SELECT name FROM ${QUEUE_SCHEMA}.queue`)
    return rows.map((row: { name: string }) => row.name)
  } finally {
    await client.end()
  }
}

describe('opening the run queue', () => {
  it('succeeds for every process opening a new database at once', async () => {
    for (let round = 0; round < 12; round++) {
      const url = await postgres.database('queue_open')
      const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openRunQueue(url)))
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close()
      expect(opened.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual(
        Array(6).fill('ok'),
      )
      expect(await queueRows(url)).toEqual([RUN_QUEUE])
    }
  }, 120_000)
})
