/**
 * `penguin worker` (and `penguin serve --workers N`): executes queued runs. It fetches jobs from
 * pg-boss, takes the run's lease (only one worker can), runs it with the same RunManager a server
 * uses — so a run on a worker is recorded exactly like one on a server — and keeps the lease alive
 * with a heartbeat. It also sweeps: a lease whose heartbeat is older than the timeout belongs to a
 * dead worker, and its run is dispatched again; the worker that takes it resumes from what is
 * stored (see `prompts.ts`). On SIGTERM it stops fetching, lets its runs finish within the grace
 * period and hands the rest back to the queue.
 */
import { randomBytes } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import type { AsyncStore } from '@penguin-ai/store'
import type { EventHub, ServerConfig } from '../deps.js'
import { type LiveSystem, openLiveSystem } from '../live.js'
import { type LogCallback, stderrLog } from '../log.js'
import { type OpenedServerStore, openServerStore } from '../open-store.js'
import type { Coordination } from '../runtime/coordination.js'
import { PermissionBroker } from '../runtime/permissions.js'
import type { RunEndReport } from '../runtime/run-drive.js'
import { type Outcome, startProjectJob, startSessionJob } from './execution.js'
import type { QueuedJob } from './job.js'
import { type ClaimedLease, finishLease } from './leases.js'
import { openRunQueue } from './open.js'
import type { FetchedJob, QueueConnection } from './pg.js'
import { workerPlaces } from './places.js'
import { startPlanJob } from './plans.js'
import { finishSessionRun } from './run-end.js'
import { finishUnrun } from './unrun.js'
import { WorkerLeases } from './worker-leases.js'

/** A lease not refreshed for this long is a dead worker's (seconds; `--heartbeat`). */
export const DEFAULT_HEARTBEAT_SECONDS = 30
/** How long a shutting-down worker lets its runs finish before handing them back (seconds). */
export const DEFAULT_GRACE_SECONDS = 20
/** Idle workers look for jobs this often even without a NOTIFY (one lost on a reconnect). */
const POLL_MS = 2_000
/** A job for a workspace under none of this worker's roots goes back, held this long (seconds). */
const HAND_ON_DELAY_SECONDS = 2

export interface WorkerOptions {
  /** The shared PostgreSQL database (`postgres://…`). */
  databaseUrl: string
  /** Directories this worker can reach: it takes only runs whose workspace lies under one. */
  roots: string[]
  /** Runs at once (default 1). */
  concurrency?: number
  /** Seconds after which a lease not refreshed is taken back (default 30); refreshed every third of it. */
  heartbeatSeconds?: number
  /** Seconds a SIGTERM / `close()` lets runs finish before handing them back (default 20). */
  graceSeconds?: number
  /** Overrides every model's base URL, like `penguin serve --base-url`. */
  baseUrl?: string
  /** How runs' commands run, above their config (as the server's `--sandbox`). */
  sandbox?: ServerConfig['sandbox']
  /** Where checkpoints' shadow repositories live (on this machine); none: no checkpoints. */
  dataDir?: string
  env?: NodeJS.ProcessEnv
  /**
   * Where runs' live events go, and how other processes reach its permission asks: a server's own
   * with `--workers`; default: the database's (openLiveSystem), so every server streams them.
   */
  events?: EventHub
  coordination?: Coordination
  /** Pending permission asks of the runs (a server's own broker with `--workers`). */
  permissions?: PermissionBroker
  /** Share a store / queue connection (in-process workers); else opened here and closed by `close()`. */
  store?: AsyncStore
  queue?: QueueConnection
  /** Redacts what runs store (default: the secrets of `env` and of the process). */
  redact?: (text: string) => string
  log?: LogCallback
  /** Stop on SIGTERM / SIGINT (default false; `penguin worker` turns it on). */
  handleSignals?: boolean
  /** Default: host name, pid and a random part. */
  id?: string
}

export interface RunningWorker {
  id: string
  roots: string[]
  /** Runs in progress on this worker. */
  readonly activeCount: number
  readonly permissions: PermissionBroker
  /** Stops fetching, lets runs finish within the grace period, hands the rest back; idempotent. */
  close(): Promise<void>
  readonly closed: Promise<void>
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const env = options.env ?? process.env
  const log = options.log ?? stderrLog('penguin worker')
  const concurrency = Math.max(1, options.concurrency ?? 1)
  const heartbeatSeconds = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS
  const graceMs = (options.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1_000
  if (options.roots.length === 0) throw new Error('a worker needs at least one root (--root DIR)')
  const roots = await Promise.all(options.roots.map((root) => realpath(resolve(root))))
  const id = options.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  const opened = options.store ? undefined : await openServerStore({ databaseUrl: options.databaseUrl })
  const store = options.store ?? (opened as OpenedServerStore).store
  let connection: QueueConnection
  try {
    connection =
      options.queue ??
      (await openRunQueue(options.databaseUrl, { onError: (error) => log('queue connection error', error) }))
  } catch (error) {
    await opened?.close()
    throw error
  }
  const ownsQueue = options.queue === undefined
  const sql = connection.sql
  let live: LiveSystem | undefined
  try {
    // Its runs stream from the servers: nothing reads events here.
    live = options.events
      ? undefined
      : await openLiveSystem(store, { kind: 'worker', publishOnly: true, log })
  } catch (error) {
    if (ownsQueue) await connection.close()
    await opened?.close()
    throw error
  }
  const events = options.events ?? (live as LiveSystem).events
  const coordination = options.coordination ?? live?.coordination
  const permissions = options.permissions ?? new PermissionBroker()
  const leases = new WorkerLeases({ workerId: id, roots, connection, store, heartbeatSeconds, log })
  const { active } = leases
  const placeFor = workerPlaces(roots, {
    // What runs store is fenced by their leases: a run taken back from this worker stores no more.
    store: leases.store,
    env,
    events,
    ...(coordination ? { coordination } : {}),
    permissions,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
    log,
  })

  let stopping = false
  let pumping: Promise<void> | undefined
  let pumpAgain = false
  /** Dispatches being completed in pg-boss (`take`): awaited before the connection closes. */
  const completions = new Set<Promise<void>>()
  const completing = (completion: Promise<void>): void => {
    const settled = completion
      .catch((error: unknown) => log('completing a queued run in pg-boss failed', error))
      .finally(() => completions.delete(settled))
    completions.add(settled)
  }

  /** Fetches and starts jobs while there is room. One pump at a time; a wake-up during it pumps again. */
  const pump = (): void => {
    if (stopping) return
    if (pumping) {
      pumpAgain = true
      return
    }
    pumping = (async () => {
      do {
        pumpAgain = false
        while (!stopping && active.size < concurrency) {
          const fetched = await connection.fetch()
          if (!fetched) break
          await take(fetched)
        }
      } while (pumpAgain && !stopping)
    })()
      .catch((error: unknown) => log('fetching queued runs failed', error))
      .finally(() => {
        pumping = undefined
      })
  }

  const take = async (fetched: FetchedJob): Promise<void> => {
    const { job } = fetched
    if (!placeFor(job.workspace)) {
      // Not reachable from here: back in the queue for a worker that has the workspace.
      await connection.send(job, HAND_ON_DELAY_SECONDS)
      await connection.complete(fetched.id)
      return
    }
    const lease = await leases.claim(job.runId)
    // The dispatch is done with either way: the lease now says who runs it. pg-boss's bookkeeping
    // goes on beside the run's start, not before it (a round trip off every run's path); a failure
    // to complete leaves the job to pg-boss's expiry, and the run to its lease.
    completing(connection.complete(fetched.id))
    if (!lease) return
    if (lease.cancel_requested_at) {
      await finishUnrun(sql, events, lease, id, 'aborted', {
        kind: 'aborted',
        message: 'the run was cancelled before it started',
      })
      return
    }
    await execute(lease, job)
  }

  const execute = async (lease: ClaimedLease, job: QueuedJob): Promise<void> => {
    const place = placeFor(job.workspace)
    if (!place) return
    const run = leases.hold(lease, job)
    // Once per run: a session run records its end before announcing it, the others when settled.
    const recordEnd = (
      outcome: Outcome,
      handled: readonly number[] = [],
    ): Promise<RunEndReport | undefined> => {
      run.ending ??= (async (): Promise<RunEndReport | undefined> => {
        if (run.givenUp === 'handed_back') await leases.giveBack(job.runId)
        // A session run's end also takes the messages that came too late for it (run-end.ts).
        else if (!run.givenUp && job.kind === 'session')
          return (await finishSessionRun(connection, id, job, outcome, handled)).report
        else if (!run.givenUp && (await finishLease(sql, job.runId, id, outcome.status, outcome.record)))
          await tellWaiter(job)
        return undefined
      })().catch((error: unknown) => {
        log(`recording the end of run ${job.runId} failed`, error, { runId: job.runId })
        return undefined
      })
      return run.ending
    }
    try {
      run.execution =
        job.kind === 'session'
          ? await startSessionJob(place.manager, lease, job, recordEnd)
          : job.kind === 'project'
            ? await startProjectJob(place.deps, lease, job, log)
            : startPlanJob(place.deps, job, log)
    } catch (error) {
      leases.release(job)
      // The session or project is gone, its agent unknown, its config broken: it ends unstarted.
      const message = error instanceof Error ? error.message : String(error)
      if (await finishUnrun(sql, events, lease, id, 'failed', { kind: 'start_failed', message }))
        await tellWaiter(job)
      return
    }
    run.settled = run.execution.finished
      .then(async (outcome) => {
        await recordEnd(outcome)
      })
      .catch((error: unknown) =>
        log(`recording the end of run ${job.runId} failed`, error, { runId: job.runId }),
      )
      .finally(() => {
        leases.release(job)
        pump()
      })
  }

  /** A plan's outcome is in its lease: the server waiting to answer with it reads it now. */
  const tellWaiter = async (job: QueuedJob): Promise<void> => {
    if (job.kind === 'plan' && job.replyTo)
      await coordination?.send(job.replyTo, { kind: 'finished', runId: job.runId })
  }

  leases.start()
  const pollTimer = setInterval(pump, POLL_MS)
  try {
    await connection.listen(pump, (runId) => {
      // A cancel asked for: the heartbeat reads it from the lease.
      if (active.has(runId)) void leases.beat().catch((error: unknown) => log('heartbeat failed', error))
    })
  } catch (error) {
    leases.stop()
    clearInterval(pollTimer)
    await live?.close()
    if (ownsQueue) await connection.close()
    await opened?.close()
    throw error
  }
  pump()

  let closing: Promise<void> | undefined
  let markClosed: () => void = () => {}
  const closed = new Promise<void>((done) => {
    markClosed = done
  })
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true
      clearInterval(pollTimer)
      await pumping
      // Runs finish within the grace period; the rest go back to the queue, stored as far as they got.
      const running = [...active.values()].map((run) => run.settled)
      if (running.length > 0 && !(await settledWithin(Promise.allSettled(running), graceMs))) {
        await Promise.allSettled(
          [...active.values()].map(async (run) => {
            if (run.givenUp) return
            run.givenUp = 'handed_back'
            log(`handing run ${run.runId} back to the queue`, undefined, { runId: run.runId })
            await run.execution?.handBack()
          }),
        )
      }
      // Their leases are finished or given back once their last write is done.
      await settledWithin(Promise.allSettled([...active.values()].map((run) => run.settled)), 10_000)
      leases.stop()
      if (options.handleSignals) {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
      await Promise.allSettled([...completions])
      // The runs' last events are stored before the worker leaves the database.
      await live?.close().catch((error: unknown) => log('leaving the shared database failed', error))
      if (ownsQueue) await connection.close()
      await opened?.close()
      markClosed()
    })()
    return closing
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log(`${signal} again: exiting now`)
      process.exit(1)
    }
    log(`${signal}: finishing runs (at most ${graceMs / 1_000} s), then handing the rest back`)
    void close()
  }
  if (options.handleSignals) {
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  }
  return {
    id,
    roots,
    get activeCount() {
      return active.size
    },
    permissions,
    close,
    closed,
  }
}

function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
