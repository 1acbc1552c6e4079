/**
 * The `run_leases` table (store migration 0008 / postgres 0003) in plain SQL: one row per queued
 * run — queued, held by a worker that refreshes `heartbeat_at`, or finished with its outcome.
 * A lease whose heartbeat is older than the timeout belongs to a worker that died: whoever sweeps
 * first takes it back and dispatches the run again. Every statement is one atomic UPDATE, so two
 * workers (or servers) sweeping at once never both win.
 */
import type { QueuedJob } from './job.js'

/** Runs one statement and returns its rows (a pg pool's `query`, unwrapped). */
export type Sql = <Row>(text: string, values?: unknown[]) => Promise<Row[]>

export type LeaseStatus =
  | 'queued'
  | 'running'
  | 'completed'
  | 'failed'
  | 'aborted'
  | 'budget_exceeded'
  | 'max_iterations'

export interface LeaseRow {
  run_id: string
  kind: string
  session_id: string | null
  project_id: number | null
  workspace: string
  job: QueuedJob
  status: LeaseStatus
  record: Record<string, unknown> | null
  worker_id: string | null
  attempts: number
  heartbeat_at: Date | null
  cancel_requested_at: Date | null
  enqueued_at: Date
  finished_at: Date | null
}

/** Postgres's unique_violation: the session already has an unfinished queued run. */
export const UNIQUE_VIOLATION = '23505'

/** Records a new run as queued; throws unique_violation while its session has an unfinished one. */
export async function insertLease(sql: Sql, job: QueuedJob): Promise<void> {
  await sql(
    `INSERT INTO run_leases (run_id, kind, session_id, project_id, workspace, job, status, attempts, heartbeat_at, enqueued_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, now(), now())`,
    [
      job.runId,
      job.kind,
      job.kind === 'session' ? job.sessionId : null,
      job.kind === 'session' ? null : job.projectId,
      job.workspace,
      JSON.stringify(job),
    ],
  )
}

/** A claimed lease, with how many (not reverted) messages its session holds now (session runs). */
export interface ClaimedLease extends LeaseRow {
  messages_now: number | null
}

/** A session's messages as its message count counts them (the store's `messageCount`). */
const SESSION_MESSAGES = `(SELECT count(*)::int FROM messages m WHERE m.session_id = run_leases.session_id AND NOT m.reverted)`

/**
 * Takes a queued run for `workerId`; undefined when it is no longer there to take (finished,
 * cancelled before it started, or held by another worker: a duplicate job). The same statement
 * remembers, on a session run's first attempt, how many messages the session had before it
 * (`record.messagesBefore`), and says how many it has now: a later attempt (its worker died) tells
 * from the two whether the run got as far as storing anything (execution.ts).
 */
export async function claimLease(
  sql: Sql,
  runId: string,
  worker: { id: string; roots: readonly string[] },
): Promise<ClaimedLease | undefined> {
  const [row] = await sql<ClaimedLease>(
    `UPDATE run_leases SET worker_id = $2, worker_roots = $3, status = 'running', attempts = attempts + 1, heartbeat_at = now(),
       record = CASE WHEN kind = 'session' AND record IS NULL
         THEN json_build_object('messagesBefore', ${SESSION_MESSAGES}) ELSE record END
     WHERE run_id = $1 AND finished_at IS NULL AND worker_id IS NULL
     RETURNING *, CASE WHEN kind = 'session' THEN ${SESSION_MESSAGES} END AS messages_now`,
    [runId, worker.id, JSON.stringify(worker.roots)],
  )
  return row
}

/**
 * Refreshes the leases `workerId` holds. Returns the runs it lost (taken back by a sweep: the
 * worker was too slow) and those whose cancel was asked for.
 */
export async function heartbeat(
  sql: Sql,
  workerId: string,
  runIds: readonly string[],
): Promise<{ lost: string[]; cancelled: string[] }> {
  if (runIds.length === 0) return { lost: [], cancelled: [] }
  const rows = await sql<{ run_id: string; cancel_requested_at: Date | null }>(
    `UPDATE run_leases SET heartbeat_at = now()
     WHERE run_id = ANY($1) AND worker_id = $2 AND finished_at IS NULL
     RETURNING run_id, cancel_requested_at`,
    [runIds, workerId],
  )
  const held = new Set(rows.map((row) => row.run_id))
  return {
    lost: runIds.filter((id) => !held.has(id)),
    cancelled: rows.filter((row) => row.cancel_requested_at !== null).map((row) => row.run_id),
  }
}

/**
 * Takes back every lease (and every dispatch) older than the timeout: the run is queued again and
 * its job returned for sending. `heartbeat_at` of a queued run is when it was last dispatched, so a
 * job lost on the way (a sender that died between the two steps) is sent again too; a duplicate is
 * harmless (only one worker can claim the run).
 */
export async function reclaimExpired(sql: Sql, timeoutSeconds: number): Promise<LeaseRow[]> {
  return sql<LeaseRow>(
    `UPDATE run_leases SET worker_id = NULL, status = 'queued', heartbeat_at = now()
     WHERE finished_at IS NULL AND heartbeat_at < now() - make_interval(secs => $1)
     RETURNING *`,
    [timeoutSeconds],
  )
}

/** A worker gives a run back (shutdown): queued again at once. Returns its job to send. */
export async function releaseLease(sql: Sql, runId: string, workerId: string): Promise<LeaseRow | undefined> {
  const [row] = await sql<LeaseRow>(
    `UPDATE run_leases SET worker_id = NULL, status = 'queued', heartbeat_at = now()
     WHERE run_id = $1 AND worker_id = $2 AND finished_at IS NULL
     RETURNING *`,
    [runId, workerId],
  )
  return row
}

/** The run ended (on `workerId`, or before any worker took it when `workerId` is null). */
export async function finishLease(
  sql: Sql,
  runId: string,
  workerId: string | null,
  status: LeaseStatus,
  record: Record<string, unknown>,
): Promise<boolean> {
  const rows = await sql<{ run_id: string }>(
    `UPDATE run_leases SET status = $3, record = $4, finished_at = now()
     WHERE run_id = $1 AND finished_at IS NULL AND worker_id IS NOT DISTINCT FROM $2
     RETURNING run_id`,
    [runId, workerId, status, JSON.stringify(record)],
  )
  return rows.length > 0
}

/** Asks for a run's cancel; the row as it is after (undefined when there is no such run). */
export async function requestCancel(sql: Sql, runId: string): Promise<LeaseRow | undefined> {
  const [row] = await sql<LeaseRow>(
    `UPDATE run_leases SET cancel_requested_at = COALESCE(cancel_requested_at, now())
     WHERE run_id = $1 AND finished_at IS NULL
     RETURNING *`,
    [runId],
  )
  if (row) return row
  return getLease(sql, runId)
}

export async function getLease(sql: Sql, runId: string): Promise<LeaseRow | undefined> {
  const [row] = await sql<LeaseRow>('SELECT * FROM run_leases WHERE run_id = $1', [runId])
  return row
}

/** The session's unfinished queued run, if any. */
export async function activeLease(sql: Sql, sessionId: string): Promise<LeaseRow | undefined> {
  const [row] = await sql<LeaseRow>(
    'SELECT * FROM run_leases WHERE session_id = $1 AND finished_at IS NULL',
    [sessionId],
  )
  return row
}

/** The project's unfinished queued run, if any. */
export async function activeProjectLease(sql: Sql, projectId: number): Promise<LeaseRow | undefined> {
  const [row] = await sql<LeaseRow>(
    `SELECT * FROM run_leases WHERE project_id = $1 AND kind = 'project' AND finished_at IS NULL
     ORDER BY enqueued_at DESC LIMIT 1`,
    [projectId],
  )
  return row
}
