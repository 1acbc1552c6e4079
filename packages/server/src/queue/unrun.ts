/**
 * Queued runs that end without executing: cancelled before a worker took them, or refused by the
 * worker that did (the session or project is gone, the config is broken). Their lease stores the
 * same record a run that ran would, and every stream sees them end the way a run ends.
 */
import { emptyUsage } from '@penguin-ai/llm'
import type { EventHub } from '../deps.js'
import { parseRunMessage, runAddress } from '../runtime/coordination.js'
import type { RunRecord } from '../runtime/run-record.js'
import { finishLease, type LeaseRow, type LeaseStatus, type Sql } from './leases.js'

type UnrunLease = Pick<LeaseRow, 'run_id' | 'session_id' | 'job' | 'enqueued_at'>
type Failure = { kind: string; message: string }
/** How a run that never ran ends. */
type UnrunStatus = Extract<LeaseStatus, 'aborted' | 'failed'>

/**
 * Ends the run in its lease (on `workerId`, or before any worker took it when null) and tells every
 * stream: `run.finished` of a session run, `project.finished` of a project's (a plan: nothing). Undefined when the
 * lease was already finished or is not `workerId`'s (someone else ended it: nothing to announce).
 */
export async function finishUnrun(
  sql: Sql,
  events: EventHub,
  lease: UnrunLease,
  workerId: string | null,
  status: UnrunStatus,
  error: Failure,
): Promise<RunRecord | undefined> {
  const record = unrunRecord(lease, status, error)
  const { job } = lease
  const stored =
    job.kind === 'session'
      ? { ...record }
      : { projectRunId: lease.run_id, projectId: job.projectId, status, error }
  if (!(await finishLease(sql, lease.run_id, workerId, status, stored))) return undefined
  if (job.kind === 'project') {
    events.publish('project.finished', {
      project_id: job.projectId,
      project_run_id: lease.run_id,
      status,
      message: error.message,
    })
    return record
  }
  // A plan's only waiter is the server that queued it (see plans.ts): nothing to stream.
  if (job.kind === 'plan') return record
  // Messages sent to the run while it was queued: no run read them. Its lease is finished now, so
  // no server queues another (PostgresLive.sendRunControl): take them and say so, as a run that
  // ends without reading its messages does.
  const unread = (
    await sql<{ id: string; body: string }>(
      'DELETE FROM control_messages WHERE node_id = $1 RETURNING id, body',
      [runAddress(lease.run_id)],
    )
  )
    .sort((a, b) => Number(a.id) - Number(b.id))
    .flatMap((row) => parseRunMessage(row.body) ?? [])
  if (unread.length > 0) {
    const quoted = unread.map((message) => JSON.stringify(message.text)).join(', ')
    const what =
      unread.length === 1 ? 'A message sent to the run was' : `${unread.length} messages sent to the run were`
    events.publish('notice', {
      type: 'notice',
      runId: lease.run_id,
      time: Date.now(),
      level: 'warning',
      source: 'steering',
      message: `${what} not delivered: the run ended (${status}) before it started — send ${unread.length === 1 ? 'it' : 'them'} again: ${quoted}`,
      session_id: job.sessionId,
      run_id: lease.run_id,
    })
  }
  events.publish('run.finished', {
    type: 'run.finished',
    runId: lease.run_id,
    time: Date.parse(record.finishedAt as string),
    status,
    text: '',
    usage: record.usage,
    cost: 0,
    iterations: 0,
    durationMs: 0,
    error,
    session_id: job.sessionId,
    run_id: lease.run_id,
  })
  return record
}

/** What `GET /runs/{id}` shows of such a run (and what a session run's lease stores). */
function unrunRecord(lease: UnrunLease, status: UnrunStatus, error: Failure): RunRecord {
  return {
    id: lease.run_id,
    sessionId: lease.session_id ?? '',
    status,
    startedAt: new Date(lease.enqueued_at).toISOString(),
    finishedAt: new Date().toISOString(),
    text: '',
    usage: emptyUsage(),
    costUsd: 0,
    error,
  }
}
