/**
 * `penguin db migrate` and `penguin db copy` through the real CLI, against a private PostgreSQL
 * cluster started for this file (tooling/test-postgres).
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { describe, expect, it } from 'vitest'
import { runPenguin } from './cli-helpers.js'

const postgres = usePostgresCluster()

const database = (): Promise<string> => postgres.database('cli')

describe('penguin db', () => {
  it('migrate applies the schema to a PostgreSQL database once (--database or PENGUIN_DATABASE_URL)', async () => {
    const url = await database()
    const first = await runPenguin(['db', 'migrate', '--database', url])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^Applied \d+ schema changes to postgres:\/\/penguin@localhost\//)
    const again = await runPenguin(['db', 'migrate', '--json'], { env: { PENGUIN_DATABASE_URL: url } })
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ backend: 'postgres', applied: 0 })
  })

  it('migrate works on the SQLite file without a database URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'penguin-db-'))
    const db = join(dir, 'penguin.db')
    const result = await runPenguin(['db', 'migrate', '--db', db])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Applied \d+ schema changes to .*penguin\.db\./)
    expect((await runPenguin(['db', 'migrate', '--db', db])).stdout).toBe(`${db} is up to date.\n`)
  })

  it('copy moves a SQLite installation into an empty PostgreSQL database, and refuses a full one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'penguin-db-'))
    const db = join(dir, 'penguin.db')
    const token = await runPenguin(['token', 'create', '--name', 'ci', '--db', db])
    expect(token.code).toBe(0)
    expect((await runPenguin(['project', 'create', 'web', '--db', db])).code).toBe(0)
    const url = await database()
    const copied = await runPenguin(['db', 'copy', '--from', `sqlite:${db}`, '--to', url, '--json'])
    expect(copied.stderr).toBe('')
    expect(copied.code).toBe(0)
    const report = JSON.parse(copied.stdout)
    expect(report).toMatchObject({ from: db, tables: { projects: 1, api_tokens: 1, tasks: 0 } })
    const store = await openPostgresStore(url)
    try {
      expect((await store.verifyToken(token.stdout.trim()))?.name).toBe('ci')
      expect((await store.listProjects()).map((p) => p.name)).toEqual(['web'])
    } finally {
      await store.close()
    }
    const refused = await runPenguin(['db', 'copy', '--from', `sqlite:${db}`, '--to', url])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^penguin: the database at postgres:.* already holds data \(1 projects/)
  })

  it('says what is wrong in one line: bad arguments (exit 2), an unreachable database (exit 1)', async () => {
    const missingTo = await runPenguin(['db', 'copy', '--from', 'sqlite:/nowhere.db'])
    expect(missingTo.code).toBe(2)
    expect(missingTo.stderr).toMatch(/Missing --to/)
    const notPostgres = await runPenguin(['db', 'migrate', '--database', 'mysql://x/y'])
    expect(notPostgres.code).toBe(2)
    expect(notPostgres.stderr).toMatch(/--database must be a PostgreSQL URL/)
    const notPostgresTo = await runPenguin([
      'db',
      'copy',
      '--from',
      'sqlite:/nowhere.db',
      '--to',
      'mysql://x/y',
    ])
    expect(notPostgresTo.code).toBe(2)
    expect(notPostgresTo.stderr).toMatch(/^penguin: --to must be a PostgreSQL URL .*got "mysql:\/\/x\/y"/)
    const noFile = await runPenguin([
      'db',
      'copy',
      '--from',
      'sqlite:/nowhere/penguin.db',
      '--to',
      postgres.cluster.url('x'),
    ])
    expect(noFile.code).toBe(2)
    expect(noFile.stderr).toMatch(/no SQLite database at \/nowhere\/penguin\.db/)
    const unreachable = postgres.cluster
      .url('postgres')
      .replace('penguin@', 'penguin:s3cret-pw@')
      .replace(/port=\d+/, 'port=1')
    const down = await runPenguin(['db', 'migrate', '--database', unreachable])
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^penguin: cannot connect to the database at postgres:\/\/penguin:\*\*\*@/)
    expect(down.stderr).not.toContain('s3cret-pw')
    expect(down.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  })

  it('penguin doctor checks PENGUIN_DATABASE_URL: reachable, and whether the schema is current', async () => {
    const url = await database()
    const pending = await runPenguin(['doctor', '--json'], { env: { PENGUIN_DATABASE_URL: url } })
    const check = (result: { stdout: string }) =>
      (
        JSON.parse(result.stdout) as { checks: { name: string; status: string; detail: string }[] }
      ).checks.find((item) => item.name === 'postgres')
    expect(check(pending)).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/schema changes? pending/),
    })
    expect((await runPenguin(['db', 'migrate'], { env: { PENGUIN_DATABASE_URL: url } })).code).toBe(0)
    const current = await runPenguin(['doctor'], { env: { PENGUIN_DATABASE_URL: url } })
    expect(current.stdout).toMatch(
      /✓ postgres +postgres:\/\/penguin@localhost\/.*: reachable, schema up to date/,
    )
    const down = postgres.cluster.url('postgres').replace(/port=\d+/, 'port=1')
    const failed = await runPenguin(['doctor', '--json'], { env: { PENGUIN_DATABASE_URL: down } })
    expect(failed.code).toBe(1)
    expect(check(failed)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^cannot connect to the database/),
    })
  })
})
