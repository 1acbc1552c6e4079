/**
 * A worker's side of the run leases (`leases.ts`): the runs it holds, the heartbeat that keeps
 * their leases alive (and sweeps the leases of dead workers back into the queue), the fence that
 * stops a run's session appends once its lease is taken back (`fence.ts`), and the two ways a run
 * stops being this worker's without finishing here: lost (another worker was told this one was
 * dead and runs it now) or given back (this worker is leaving).
 */
import type { AsyncStore } from '@penguin-ai/store'
import type { LogCallback } from '../log.js'
import type { RunEndReport } from '../runtime/run-drive.js'
import type { Execution } from './execution.js'
import { fencedStore } from './fence.js'
import type { QueuedJob } from './job.js'
import { type ClaimedLease, claimLease, heartbeat, reclaimExpired, releaseLease, type Sql } from './leases.js'
import type { QueueConnection } from './pg.js'

export interface ActiveRun {
  runId: string
  execution?: Execution
  /** Set when the run must not be recorded as finished here: handed back, or its lease lost. */
  givenUp?: 'handed_back' | 'lost'
  /** Set once the run is over and its lease being written: its heartbeat stops. */
  ending?: Promise<RunEndReport | undefined>
  /** Settles once the run has ended and its lease is written (finished or given back). */
  settled?: Promise<void>
}

export interface WorkerLeaseOptions {
  workerId: string
  roots: readonly string[]
  connection: QueueConnection
  /** The store the worker's runs write to: handed to them fenced (`store` below). */
  store: AsyncStore
  /** A lease not refreshed for this long is a dead worker's; refreshed every third of it. */
  heartbeatSeconds: number
  log: LogCallback
}

export class WorkerLeases {
  /** The runs this worker holds (claimed and not yet settled), by run id. */
  readonly active = new Map<string, ActiveRun>()
  /** What the runs store, fenced by their leases: a run taken back from this worker stores no more. */
  readonly store: AsyncStore
  private readonly options: WorkerLeaseOptions
  private readonly sql: Sql
  private readonly fences: ReturnType<typeof fencedStore>['fences']
  private timer: NodeJS.Timeout | undefined
  private beating = false

  constructor(options: WorkerLeaseOptions) {
    this.options = options
    this.sql = options.connection.sql
    const fenced = fencedStore(options.store, (runId) =>
      this.lose(runId, 'an append found its lease taken back'),
    )
    this.store = fenced.store
    this.fences = fenced.fences
  }

  /** Takes the queued run for this worker; undefined when another worker has it or it is over. */
  claim(runId: string): Promise<ClaimedLease | undefined> {
    return claimLease(this.sql, runId, { id: this.options.workerId, roots: this.options.roots })
  }

  /** The claimed run starts here: held (its heartbeat beats) and its session's appends fenced. */
  hold(lease: ClaimedLease, job: QueuedJob): ActiveRun {
    const run: ActiveRun = { runId: job.runId }
    this.active.set(job.runId, run)
    if (job.kind === 'session')
      this.fences.hold(job.sessionId, {
        runId: job.runId,
        workerId: this.options.workerId,
        attempt: lease.attempts,
      })
    return run
  }

  /** The run is over here (settled, or it never started). */
  release(job: QueuedJob): void {
    this.active.delete(job.runId)
    if (job.kind === 'session') this.fences.release(job.sessionId, job.runId)
  }

  /** Another worker was told this one was dead and runs it now: stop, leave the run to it. */
  lose(runId: string, how: string): void {
    const run = this.active.get(runId)
    if (!run || run.givenUp || run.ending) return
    this.options.log(`lost the lease of run ${runId} (${how}); stopping it here`, undefined, { runId })
    run.givenUp = 'lost'
    void run.execution?.handBack()
  }

  /** Puts a run this worker holds back in the queue, for another worker to resume at once. */
  async giveBack(runId: string): Promise<void> {
    const row = await releaseLease(this.sql, runId, this.options.workerId)
    if (row) await this.options.connection.send(row.job)
  }

  /**
   * Refreshes the leases of the runs still going (a lost one stops, a cancelled one is cancelled),
   * then dispatches again the runs whose leases expired (their workers died).
   */
  async beat(): Promise<void> {
    const { log, workerId, heartbeatSeconds, connection } = this.options
    const held = [...this.active.values()].filter((run) => !run.ending).map((run) => run.runId)
    const { lost, cancelled } = await heartbeat(this.sql, workerId, held)
    for (const runId of lost) this.lose(runId, 'the heartbeat found it taken back')
    for (const runId of cancelled) this.active.get(runId)?.execution?.cancel()
    for (const row of await reclaimExpired(this.sql, heartbeatSeconds)) {
      log(
        `run ${row.run_id}: lease expired${row.attempts ? '' : ' before any worker took it'}; dispatching it again`,
        undefined,
        { runId: row.run_id },
      )
      await connection.send(row.job)
    }
  }

  /** The timer's beat: skipped while the previous one is under way. */
  private tick(): void {
    if (this.beating) return
    this.beating = true
    this.beat()
      .catch((error: unknown) => this.options.log('heartbeat failed', error))
      .finally(() => {
        this.beating = false
      })
  }

  /** Beats every third of the heartbeat timeout until `stop`. */
  start(): void {
    const every = Math.max(100, Math.floor((this.options.heartbeatSeconds * 1_000) / 3))
    this.timer = setInterval(() => this.tick(), every)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
