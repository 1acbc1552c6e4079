import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type PostgresCluster, startPostgresCluster } from '../src/index.js'

describe('a private PostgreSQL cluster', () => {
  let cluster: PostgresCluster
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(() => cluster?.stop(), 60_000)

  it('creates a database a client can use, and drops it with its connections', async () => {
    const database = await createTestDatabase(cluster.url('postgres'))
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db')
    expect(rows[0]?.db).toBe(database.name)
    const ended = new Promise((resolve) => client.on('error', resolve))
    await database.drop()
    await ended
    const admin = new pg.Client({ connectionString: cluster.url('postgres') })
    await admin.connect()
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name])
    await admin.end()
    expect(left.rowCount).toBe(0)
  })
})
