/**
 * The run queue on PostgreSQL: pg-boss 10 (in its own `pgboss` schema) dispatches jobs, the
 * `run_leases` table (leases.ts) tracks who runs what. Loaded only with a database URL (queue.ts
 * imports this module lazily): `pg` and `pg-boss` are CommonJS, imported statically here.
 */
import pg from 'pg'
import PgBoss from 'pg-boss'
import { QUEUE_SCHEMA, type QueuedJob, QueuedJobSchema, RUN_QUEUE } from './job.js'
import type { Sql } from './leases.js'

/** The channel a sender NOTIFYs after each job, so idle workers fetch at once instead of polling. */
export const WAKE_CHANNEL = 'penguin_run_queue'
/** The channel a server NOTIFYs with a run id when it asked for that run's cancel. */
export const CONTROL_CHANNEL = 'penguin_run_control'

/**
 * `pg_advisory_lock` key serialising the run queue's creation between processes starting at once
 * ("penguin.run" as two int4s).
 */
const QUEUE_CREATE_LOCK = [0x70656e67, 0x2e72756e] as const

/** How long a process waits for another one creating the queue. */
const QUEUE_CREATE_WAIT_MS = 30_000

/** How long connecting may take before it is an error. */
const CONNECT_TIMEOUT_MS = 15_000

export interface FetchedJob {
  /** pg-boss's id of this dispatch (a run may be dispatched more than once). */
  id: string
  job: QueuedJob
}

export interface QueueConnection {
  sql: Sql
  /** Runs `work` in one transaction on a connection of its own (committed when it resolves). */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>
  /** Dispatches a run (again); `delaySeconds` holds it back that long (a job handed on). */
  send(job: QueuedJob, delaySeconds?: number): Promise<void>
  /** The next job, if any, marked active in pg-boss (complete it once its lease is claimed). */
  fetch(): Promise<FetchedJob | undefined>
  /** The dispatch is done with (claimed, or dropped as a duplicate). */
  complete(id: string): Promise<void>
  /** Tells whoever runs `runId` to look at its row again (its cancel was asked for). */
  control(runId: string): Promise<void>
  /**
   * Calls `wake` whenever a job is sent and `onControl` with a run id whose row changed (LISTEN on
   * a connection of its own, opened once).
   */
  listen(wake: () => void, onControl: (runId: string) => void): Promise<void>
  close(): Promise<void>
}

export async function connectQueue(
  url: string,
  options: { maxConnections?: number; onError?: (error: unknown) => void } = {},
): Promise<QueueConnection> {
  const onError = options.onError ?? (() => {})
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', onError)
  const sql: Sql = async <Row>(text: string, values?: unknown[]) =>
    (await pool.query(text, values as unknown[])).rows as Row[]
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values as unknown[]) },
    schema: QUEUE_SCHEMA,
    // No cron here; pg-boss's maintenance (expiry, archive) runs under its own advisory lock.
    schedule: false,
    supervise: true,
  })
  boss.on('error', onError)
  try {
    await boss.start()
    await ensureRunQueue(url, boss)
  } catch (error) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined)
    await pool.end().catch(() => undefined)
    throw error
  }
  let listener: pg.Client | undefined
  return {
    sql,
    async transaction(work) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        try {
          const result = await work(
            async <Row>(text: string, values?: unknown[]) =>
              (await client.query(text, values as unknown[])).rows as Row[],
          )
          await client.query('COMMIT')
          return result
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined)
          throw error
        }
      } finally {
        client.release()
      }
    },
    async send(job, delaySeconds = 0) {
      await boss.send(RUN_QUEUE, job, {
        singletonKey: job.runId,
        retryLimit: 0,
        ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
      })
      await pool.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, job.runId])
    },
    async fetch() {
      const [fetched] = await boss.fetch<unknown>(RUN_QUEUE, { batchSize: 1 })
      if (!fetched) return undefined
      const parsed = QueuedJobSchema.safeParse(fetched.data)
      if (parsed.success) return { id: fetched.id, job: parsed.data }
      // Not a job this version understands: failed in pg-boss, where an operator can see it.
      await boss.fail(RUN_QUEUE, fetched.id, { error: 'unreadable job' })
      return undefined
    },
    async complete(id) {
      await boss.complete(RUN_QUEUE, id)
    },
    async control(runId) {
      await pool.query('SELECT pg_notify($1, $2)', [CONTROL_CHANNEL, runId])
    },
    async listen(wake, onControl) {
      if (listener) return
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
      client.on('error', onError)
      client.on('notification', (message) => {
        if (message.channel === WAKE_CHANNEL) wake()
        else if (message.channel === CONTROL_CHANNEL && message.payload) onControl(message.payload)
      })
      await client.connect()
      await client.query(`LISTEN ${WAKE_CHANNEL}; LISTEN ${CONTROL_CHANNEL}`)
      listener = client
    },
    async close() {
      await listener?.end().catch(() => undefined)
      await boss.stop({ graceful: false, wait: true, close: false }).catch(() => undefined)
      await pool.end().catch(() => undefined)
    },
  }
}

/**
 * Creates the run queue unless it exists. pg-boss's `create_queue` is not safe to run twice at
 * once: both transactions insert the queue row, then each one's foreign key to that table waits
 * on the other — PostgreSQL aborts one with "deadlock detected", possibly before the winner has
 * committed, so "it exists now" cannot be checked afterwards. Servers and workers started together
 * (compose, a fleet's rollout) take turns under an advisory lock instead.
 */
async function ensureRunQueue(url: string, boss: PgBoss): Promise<void> {
  if (await boss.getQueue(RUN_QUEUE)) return
  // A connection of its own: the lock must not hold one of the pool's, which pg-boss needs.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  await client.connect()
  try {
    // The holder only creates a few tables; waiting longer than this means something is stuck.
    await client.query(`SET statement_timeout = ${QUEUE_CREATE_WAIT_MS}`)
    await client.query('SELECT pg_advisory_lock($1, $2)', [...QUEUE_CREATE_LOCK])
    // 'short': at most one queued (not yet fetched) job per run id — a run dispatched twice at
    // once (two servers sweeping) is sent once. Our lease decides who runs it, so no pg-boss retry.
    if (!(await boss.getQueue(RUN_QUEUE)))
      await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, policy: 'short', retryLimit: 0 })
  } finally {
    // Ending the session releases the advisory lock with it.
    await client.end().catch(() => undefined)
  }
}
