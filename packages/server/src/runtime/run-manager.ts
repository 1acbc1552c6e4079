import type { Delivery, EngineEvent, PermissionReply } from '@penguin-ai/engine'
import type { ExtensionHost } from '@penguin-ai/extensions'
import type { ServerStatus } from '@penguin-ai/mcp'
import type { Session } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import type { LogCallback } from '../log.js'
import type { QueueDispatch } from '../queue/dispatch.js'
import type { ControlMessage } from './coordination.js'
import { type OpenedRunAgent, openRunAgent } from './open-agent.js'
import { answerAnywhere, PermissionBroker } from './permissions.js'
import { type Delivered, deliverMessage } from './run-delivery.js'
import { type DriveHost, type DriveRequest, driveRun, type Slot } from './run-drive.js'
import { RunOutbox } from './run-outbox.js'
import type { RunRecord } from './run-record.js'
import { type RunObservers, runParentContext } from './run-telemetry.js'
import { visibleSession } from './visibility.js'

/** Finished runs kept for `GET /runs/{id}`; older ones are forgotten (their messages stay stored). */
const DEFAULT_RETAINED_RUNS = 1_000

/** A cancelled run is over for its clients within this long, whatever its engine is doing (§3: 2 s). */
export const DEFAULT_CANCEL_TIMEOUT_MS = 1_500

export interface StartOptions {
  /** Switches the session to this agent from this run on. */
  agent?: string
  /** The run's id (a queued run's, chosen when it was queued); default: the engine's own. */
  runId?: string
  /** The session's `auto_approve` as it was stored when the run was queued; default: the stored one. */
  autoApprove?: boolean
  /** Awaited before the run's end is announced, once its session is free here (see `DriveRequest.onEnd`). */
  onEnd?: DriveRequest['onEnd']
}

export interface RunManagerOptions extends RunObservers {
  permissions?: PermissionBroker
  retainRuns?: number
  /** Unexpected failures (a run that threw, a checkpoint that failed): for the operator. */
  log?: LogCallback
  /**
   * How long a cancelled run may take to end (default 1.5 s). Past it, the run is reported aborted
   * (`run.finished`, `GET /runs/{id}`) although its engine has not returned yet; the session stays
   * busy until it has, so nothing overlaps it.
   */
  cancelTimeoutMs?: number
  /**
   * With a database URL: prompts are queued for workers instead of run here (`penguin serve
   * --database`); this manager then runs only what a worker gives it.
   */
  dispatch?: QueueDispatch
}

/**
 * Runs sessions: at most one run per session, any number of sessions at once. A run is an
 * AgentSession (recording, checkpoints, memory) driven in the background; its engine events go to
 * the EventHub with `session_id` and `run_id`, and into an in-memory RunRecord.
 */
export class RunManager {
  readonly permissions: PermissionBroker
  private readonly deps: ServerDeps
  private readonly slots = new Map<string, Slot>()
  private readonly runs = new Map<string, RunRecord>()
  /** The extensions of each running session, and the MCP servers each session's last run had. */
  private readonly hosts = new Map<string, ExtensionHost>()
  private readonly lastMcp = new Map<string, ServerStatus[]>()
  private readonly retainRuns: number
  private readonly log: LogCallback
  private readonly observers: RunObservers
  private readonly cancelTimeoutMs: number
  readonly dispatch: QueueDispatch | undefined
  private accepting = true
  /** What a driven run needs of this manager. */
  private readonly driveHost: DriveHost

  constructor(deps: ServerDeps, options: RunManagerOptions = {}) {
    this.deps = deps
    this.permissions = options.permissions ?? new PermissionBroker()
    this.retainRuns = options.retainRuns ?? DEFAULT_RETAINED_RUNS
    this.log = options.log ?? (() => {})
    this.observers = { telemetry: options.telemetry, logger: options.logger }
    this.cancelTimeoutMs = options.cancelTimeoutMs ?? DEFAULT_CANCEL_TIMEOUT_MS
    this.dispatch = options.dispatch
    deps.coordination?.onControl((message) => this.control(message))
    this.driveHost = {
      log: this.log,
      observers: this.observers,
      cancelTimeoutMs: this.cancelTimeoutMs,
      coordination: deps.coordination,
      remember: (record) => this.remember(record),
      free: (slot) => {
        if (this.slots.get(slot.sessionId) === slot) this.slots.delete(slot.sessionId)
      },
      closeExtensions: async (sessionId, extensions) => {
        this.lastMcp.set(sessionId, extensions.mcpStatus())
        if (this.hosts.get(sessionId) === extensions) this.hosts.delete(sessionId)
        // MCP servers stop with the run; a failing SessionEnd hook is the operator's to read.
        await extensions
          .close('other')
          .catch((error: unknown) =>
            this.log(`closing extensions of session ${sessionId} failed`, error, { sessionId }),
          )
      },
      flushEvents: () => deps.events.flush(),
    }
  }

  /** Pending asks of this process's runs, or of every process sharing the database. */
  async pendingPermissions(sessionId?: string) {
    const shared = this.deps.coordination
    return shared ? shared.listPermissions(sessionId) : this.permissions.list(sessionId)
  }

  /** Answers an ask wherever its run runs (see `answerAnywhere`); 404 when unknown or answered. */
  answerPermission(id: string, reply: PermissionReply): Promise<{ id: string; reply: PermissionReply }> {
    return answerAnywhere(this.permissions, this.deps.coordination, id, reply)
  }

  /** What another process sent about a run of this one. */
  private control(message: ControlMessage): void {
    if (message.kind === 'permission' && this.permissions.list().some((pending) => pending.id === message.id))
      this.permissions.answer(message.id, message.reply)
  }

  /** The run holding a session, if any (for `active_run_id`). */
  activeRunId(sessionId: string): string | null {
    const slot = this.slots.get(sessionId)
    if (slot?.kind === 'run') return slot.runId ?? null
    return this.dispatch?.activeRunId(sessionId) ?? null
  }

  isBusy(sessionId: string): boolean {
    return this.slots.has(sessionId)
  }

  /** Sessions running a prompt now (not counting restores or deletes in progress). */
  get runningCount(): number {
    let count = 0
    for (const slot of this.slots.values()) if (slot.kind === 'run') count++
    return count
  }

  forget(sessionId: string): void {
    this.lastMcp.delete(sessionId)
  }

  /**
   * The session's MCP servers and tools: live while it runs, else as its last run (or probe) left
   * them; undefined when nothing is known yet.
   */
  mcpStatus(sessionId: string): ServerStatus[] | undefined {
    return this.hosts.get(sessionId)?.mcpStatus() ?? this.lastMcp.get(sessionId)
  }

  /** Records what a probe found (`GET /sessions/{id}/mcp?refresh=true`). */
  rememberMcp(sessionId: string, status: ServerStatus[]): void {
    this.lastMcp.set(sessionId, status)
  }

  /** A run of this process, else a queued run (any server's, any worker's); 404 when unknown. */
  async findRun(runId: string): Promise<RunRecord> {
    const local = this.runs.get(runId)
    if (local || !this.dispatch) return this.getRun(runId)
    const queued = await this.dispatch.find(runId)
    if (!queued) throw new HttpError(404, 'not_found', `run ${JSON.stringify(runId)} not found`)
    return queued
  }

  /** `cancel` for a run of this process, else for a queued run wherever it is. */
  async cancelRun(runId: string): Promise<RunRecord> {
    if (this.runs.has(runId) || !this.dispatch) return this.cancel(runId)
    return this.dispatch.cancel(runId)
  }

  getRun(runId: string): RunRecord {
    const record = this.runs.get(runId)
    if (!record) throw new HttpError(404, 'not_found', `run ${JSON.stringify(runId)} not found`)
    return record
  }

  /**
   * Starts a run of `content` on the session in the background and resolves once the engine has
   * given it an id. 409 while the session already has one; 503 while the server is stopping.
   * `agent` switches the session to that agent, from this run on (422 when the workspace has none
   * of that name; the session is then unchanged). `session`: its id or prefix, or the session itself
   * as the caller looked it up (visibleSession) just before — not read again.
   */
  async start(session: string | Session, content: string, options: StartOptions = {}): Promise<RunRecord> {
    if (!this.accepting) throw new HttpError(503, 'unavailable', 'the server is shutting down')
    // Before any await: the request's span is what the run's span hangs from.
    const parent = runParentContext(this.observers)
    const stored = typeof session === 'string' ? await visibleSession(this.deps, session) : session
    if (this.dispatch) {
      this.claim(stored.id, 'lock')
      try {
        return await this.dispatch.enqueue(stored, content, {
          ...(options.agent !== undefined ? { agent: options.agent } : {}),
          // Stored with the session: the same whichever server created it or takes the prompt.
          autoApprove: stored.autoApprove,
        })
      } finally {
        this.slots.delete(stored.id)
      }
    }
    const switching = options.agent !== undefined && options.agent !== stored.agent
    const running = switching ? { ...stored, agent: options.agent ?? null } : stored
    const slot = this.claim(running.id, 'run')
    const starting = this.open(slot, running, content, options, { parent, switching })
    slot.starting = starting
    return starting
  }

  /** Opens the run's session (agent, extensions, sandbox) and starts it in the held slot. */
  private async open(
    slot: Slot,
    session: Session,
    content: string,
    options: StartOptions,
    { parent, switching }: { parent: ReturnType<typeof runParentContext>; switching: boolean },
  ): Promise<RunRecord> {
    let opened: OpenedRunAgent
    try {
      opened = await openRunAgent(this.deps, this.permissions, slot, session, {
        autoApprove: options.autoApprove ?? session.autoApprove,
        switching,
        log: this.log,
      })
    } catch (error) {
      this.slots.delete(session.id)
      throw error
    }
    const { agent, extensions, release, held } = opened
    if (extensions) this.hosts.set(session.id, extensions)
    return driveRun(this.driveHost, agent, slot, {
      content,
      runId: options.runId,
      parentContext: parent,
      held,
      release,
      extensions,
      ...(options.onEnd ? { onEnd: options.onEnd } : {}),
    })
  }

  /**
   * A message for the session's run in progress (`steer` / `follow_up`), wherever it runs; when
   * the session has none, the message starts a run (see `deliverMessage`).
   */
  async deliver(
    sessionRef: string,
    content: string,
    delivery: Delivery,
    options: StartOptions = {},
  ): Promise<Delivered> {
    const session = await visibleSession(this.deps, sessionRef)
    return deliverMessage(
      {
        dispatch: this.dispatch,
        coordination: this.deps.coordination,
        slot: (sessionId) => this.slots.get(sessionId),
        run: (runId) => this.runs.get(runId),
        findRun: (runId) => this.findRun(runId),
        start: () => this.start(session.id, content, options),
      },
      session.id,
      { delivery, text: content },
      options.agent !== undefined,
    )
  }

  /**
   * Resolves with the run's record once it has ended and its session is released (undefined for a
   * run this manager does not hold).
   */
  whenFinished(runId: string): Promise<RunRecord | undefined> {
    for (const slot of this.slots.values()) {
      if (slot.runId === runId && slot.done) return slot.done.then(() => this.runs.get(runId))
    }
    return Promise.resolve(this.runs.get(runId))
  }

  /**
   * Stops a run to give it back to the queue (a worker shutting down or that lost its lease): it is
   * aborted like a cancel, what it said is stored, but its end is not announced — another worker
   * resumes it under the same id. Resolves when it has stopped.
   */
  async handBack(runId: string): Promise<void> {
    for (const slot of this.slots.values()) {
      if (slot.runId !== runId) continue
      slot.handedBack = true
      slot.controller.abort()
      await slot.done
    }
  }

  /** Aborts a running run (its pending permission asks are rejected); 409 if it already ended. */
  cancel(runId: string): RunRecord {
    const record = this.getRun(runId)
    if (record.status !== 'running') {
      throw new HttpError(409, 'conflict', `run ${runId} already finished (${record.status})`)
    }
    const slot = this.slots.get(record.sessionId)
    if (slot?.runId === runId && !slot.controller.signal.aborted) {
      slot.controller.abort()
      // Every step of a run honours the abort, but none may hold a cancel past the bound.
      const bound = setTimeout(() => slot.endNow?.(), this.cancelTimeoutMs)
      bound.unref()
      void slot.done?.finally(() => clearTimeout(bound))
    }
    return record
  }

  /** Holds the session for an operation that must not overlap a run (restore, delete); 409 if busy. */
  async exclusive<T>(sessionId: string, work: () => Promise<T> | T): Promise<T> {
    const slot = this.claim(sessionId, 'lock')
    try {
      const queued = await this.dispatch?.busy(sessionId)
      if (queued)
        throw new HttpError(
          409,
          'conflict',
          `session ${sessionId} is busy: a run is active (run ${queued})`,
          {
            active_run_id: queued,
          },
        )
      return await work()
    } finally {
      if (this.slots.get(sessionId) === slot) this.slots.delete(sessionId)
    }
  }

  /**
   * Stops taking runs, aborts every active one and waits (at most `timeoutMs`) for them to end, so
   * what they said is stored. Resolves true when every run ended in time.
   */
  async shutdown(timeoutMs = 5_000): Promise<boolean> {
    this.accepting = false
    const done: Promise<void>[] = []
    for (const slot of this.slots.values()) {
      slot.controller.abort()
      if (slot.done) done.push(slot.done)
    }
    if (done.length === 0) return true
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const settled = Promise.allSettled(done).then(() => true as const)
    try {
      return await Promise.race([settled, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private claim(sessionId: string, kind: Slot['kind']): Slot {
    const held = this.slots.get(sessionId)
    if (held) {
      const what =
        held.kind === 'run'
          ? `a run is active (run ${held.runId ?? 'starting'})`
          : 'another operation is in progress'
      throw new HttpError(409, 'conflict', `session ${sessionId} is busy: ${what}`, {
        active_run_id: held.runId ?? null,
      })
    }
    const slot: Slot = {
      sessionId,
      kind,
      controller: new AbortController(),
      outbox: new RunOutbox((event) => this.publish(sessionId, event), this.deps.coordination, this.log),
    }
    this.slots.set(sessionId, slot)
    return slot
  }

  private publish(sessionId: string, event: EngineEvent): void {
    this.deps.events.publish(event.type, { ...event, session_id: sessionId, run_id: event.runId })
  }

  private remember(record: RunRecord): void {
    this.runs.set(record.id, record)
    if (this.runs.size <= this.retainRuns) return
    for (const [id, old] of this.runs) {
      if (this.runs.size <= this.retainRuns) break
      if (old.status !== 'running') this.runs.delete(id)
    }
  }
}
