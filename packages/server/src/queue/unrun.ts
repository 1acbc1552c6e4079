/**
 * Queued runs that end without executing: cancelled before a worker took them, or refused by the
 * worker that did (the session or project is gone, the config is broken). Their lease stores the
 * same record a run that ran would, and every stream sees them end the way a run ends.
 */
import { emptyUsage } from '@penguin-ai/llm'
import type { EventHub } from '../deps.js'
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
