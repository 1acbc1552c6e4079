/**
 * The server's side of the run queue (`penguin serve --database`): a prompt becomes a queued run —
 * a `run_leases` row and a pg-boss job — instead of a run in this process. Any worker (or this
 * server's own, `--workers N`) executes it; its status is read back from the row, its cancel goes
 * through the row and a NOTIFY to whoever holds it.
 */
import { emptyUsage } from '@penguin-ai/llm'
import type { Session } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { foldRunEvents, RECORD_EVENTS, type RunRecord } from '../runtime/run-record.js'
import { newQueuedRunId, type ProjectRunJob, type SessionRunJob } from './job.js'
import {
  activeLease,
  activeProjectLease,
  getLease,
  insertLease,
  type LeaseRow,
  requestCancel,
  UNIQUE_VIOLATION,
} from './leases.js'
import type { QueueConnection } from './pg.js'
import { DEFAULT_PLAN_TIMEOUT_SECONDS, type PlanRequest, type QueuedPlan, queuePlan } from './plans.js'
import { finishUnrun } from './unrun.js'

export class QueueDispatch {
  readonly connection: QueueConnection
  private readonly deps: ServerDeps
  /** Runs this server queued, by session, until it sees them end (for `active_run_id`). */
  private readonly active = new Map<string, string>()
  private readonly unsubscribe: () => void

  /** How long a plan request waits for a worker (seconds). */
  private readonly planTimeoutSeconds: number

  constructor(deps: ServerDeps, connection: QueueConnection, options: { planTimeoutSeconds?: number } = {}) {
    this.deps = deps
    this.connection = connection
    this.planTimeoutSeconds = options.planTimeoutSeconds ?? DEFAULT_PLAN_TIMEOUT_SECONDS
    this.unsubscribe = deps.events.subscribe(
      (event) => event.event === 'run.finished',
      (event) => {
        const sessionId = event.data.session_id
        if (typeof sessionId === 'string' && this.active.get(sessionId) === event.data.run_id)
          this.active.delete(sessionId)
      },
    )
  }

  /** Queues a prompt to the session; 409 while the session has an unfinished run on any server. */
  async enqueue(
    session: Session,
    content: string,
    options: { agent?: string; autoApprove: boolean },
  ): Promise<RunRecord> {
    const job: SessionRunJob = {
      kind: 'session',
      runId: newQueuedRunId(),
      sessionId: session.id,
      workspace: session.workspace,
      content,
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
      autoApprove: options.autoApprove,
    }
    try {
      await insertLease(this.connection.sql, job)
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error
      const held = await activeLease(this.connection.sql, session.id)
      throw new HttpError(
        409,
        'conflict',
        `session ${session.id} is busy: a run is active (run ${held?.run_id ?? 'starting'})`,
        {
          active_run_id: held?.run_id ?? null,
        },
      )
    }
    // A send that fails leaves the row queued: the next sweep dispatches it.
    await this.connection.send(job)
    this.active.set(session.id, job.runId)
    return leaseRecord({
      run_id: job.runId,
      session_id: session.id,
      status: 'queued',
      record: null,
      enqueued_at: new Date(),
      finished_at: null,
    })
  }

  /** The run this server last queued on the session, until it is seen to end. */
  activeRunId(sessionId: string): string | null {
    return this.active.get(sessionId) ?? null
  }

  /** The session's unfinished queued run on any server, if any. */
  async busy(sessionId: string): Promise<string | undefined> {
    return (await activeLease(this.connection.sql, sessionId))?.run_id
  }

  /**
   * A queued run: the outcome its worker stored; while it runs, what its events say so far (the
   * usage, its start) — what `GET /runs/{id}` shows of a run in this process.
   */
  async find(runId: string): Promise<RunRecord | undefined> {
    const row = await getLease(this.connection.sql, runId)
    if (!row) return undefined
    if (row.finished_at && row.session_id && this.active.get(row.session_id) === runId)
      this.active.delete(row.session_id)
    const record = leaseRecord(row)
    const { events } = this.deps
    if (row.finished_at || !events.runHistory) return record
    return foldRunEvents(record, await events.runHistory(runId, RECORD_EVENTS))
  }

  /**
   * Cancels a queued run: one no worker has taken yet ends here (aborted); a running one is
   * aborted by its worker, told by a NOTIFY (and at its next heartbeat at the latest).
   */
  async cancel(runId: string): Promise<RunRecord> {
    const sql = this.connection.sql
    const row = await requestCancel(sql, runId)
    if (!row) throw new HttpError(404, 'not_found', `run ${JSON.stringify(runId)} not found`)
    if (row.finished_at) throw new HttpError(409, 'conflict', `run ${runId} already finished (${row.status})`)
    if (row.worker_id === null) {
      const ended = await finishUnrun(sql, this.deps.events, row, null, 'aborted', {
        kind: 'aborted',
        message: 'the run was cancelled before a worker took it',
      })
      if (ended) return ended
    }
    await this.connection.control(runId)
    return leaseRecord(row)
  }

  /**
   * Queues a project run under `job.runId` (the `project_run_id` its events will carry); 409 while
   * the project has an unfinished queued run.
   */
  async enqueueProject(job: ProjectRunJob): Promise<void> {
    const held = await activeProjectLease(this.connection.sql, job.projectId)
    if (held)
      throw new HttpError(
        409,
        'conflict',
        `project ${job.projectId} is already running (run ${held.run_id})`,
        {
          project_run_id: held.run_id,
        },
      )
    await insertLease(this.connection.sql, job)
    await this.connection.send(job)
  }

  /**
   * Cancels the project's queued run: ended here when no worker took it yet, else its worker is
   * told. Undefined when the project has no unfinished queued run.
   */
  async cancelProject(projectId: number): Promise<string | undefined> {
    const sql = this.connection.sql
    const held = await activeProjectLease(sql, projectId)
    if (!held) return undefined
    const row = (await requestCancel(sql, held.run_id)) ?? held
    if (row.worker_id === null && !row.finished_at) {
      const ended = await finishUnrun(sql, this.deps.events, row, null, 'aborted', {
        kind: 'aborted',
        message: 'the run was cancelled before a worker took it',
      })
      if (ended) return row.run_id
    }
    await this.connection.control(row.run_id)
    return row.run_id
  }

  /**
   * Has a worker plan (`POST /projects/{id}/plan`) and waits for it, bounded: the validated plan,
   * or the HttpError planning ended with (see plans.ts). The caller stores the tasks.
   */
  plan(request: PlanRequest, signal: AbortSignal): Promise<QueuedPlan> {
    return queuePlan(this.connection, this.deps, request, signal, this.planTimeoutSeconds)
  }

  close(): void {
    this.unsubscribe()
  }
}

/** A queued run as `GET /runs/{id}` shows it: the outcome its worker stored, else still running. */
export function leaseRecord(
  row: Pick<LeaseRow, 'run_id' | 'session_id' | 'status' | 'record' | 'enqueued_at' | 'finished_at'>,
): RunRecord {
  const stored = row.record as Partial<RunRecord> | null
  if (row.finished_at && stored && typeof stored.id === 'string') return stored as RunRecord
  return {
    id: row.run_id,
    sessionId: row.session_id ?? '',
    status: row.finished_at ? (row.status as RunRecord['status']) : 'running',
    startedAt: new Date(row.enqueued_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    text: '',
    usage: emptyUsage(),
    costUsd: 0,
    error: null,
  }
}
