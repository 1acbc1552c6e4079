/**
 * What the processes sharing one PostgreSQL database (servers and workers) agree on at run time
 * beyond the run queue: the permission asks of their runs, waiting for an answer, and control
 * messages addressed to the process running a run. Any server takes an answer; the database
 * decides (an atomic DELETE takes the ask: the first answer counts) and a message row + NOTIFY
 * carries it to the process whose run asked. Messages for a run (steering, follow-ups) are rows
 * addressed to the run itself (`run:<id>`), so whichever process runs it — now, or after it was
 * dispatched again — reads them. Such a row stays until the message is stored in the session (the
 * same transaction deletes it) or the run's lease ends (the same transaction takes what is left),
 * so a process that dies in between loses nothing: the next one delivers it again. (Busy sessions
 * and cancels of queued runs go through the queue's `run_leases`.) Without a shared database there
 * is no Coordination: the RunManager's memory is the whole truth.
 */
import { randomUUID } from 'node:crypto'
import type { Delivery, PermissionReply } from '@penguin-ai/engine'
import type { PostgresLive, RunControlSent } from '@penguin-ai/store'
import type { LogCallback } from '../log.js'
import type { PendingPermission } from './permissions.js'

/**
 * What one process asks of the process running a run (`permission`), or tells the process waiting
 * for a run's outcome (`finished`: it is in the run's lease now).
 */
export type ControlMessage =
  | { kind: 'permission'; id: string; reply: PermissionReply }
  | { kind: 'finished'; runId: string }

/** A message for a run in progress, from any server: the user steering it or queueing a follow-up. */
export interface RunMessage {
  delivery: Delivery
  text: string
}

/** A run's message as its process reads it: with the id of its row (the receipt that stores it). */
export interface ReceivedRunMessage extends RunMessage {
  id: number
}

/** A run this process watches for messages (see `Coordination.watchRun`). */
export interface RunWatch {
  /** Reads what is queued for the run now; resolves once the handler has had every message. */
  read(): Promise<void>
  /**
   * The run stopped reading (it is ending): a message sent from now on is answered as what it is —
   * taken by the run its end starts next (see `Coordination.sendToRun`). Not for a run handed back.
   */
  close(): void
  /**
   * Stops watching (after `close`'s row is in). The rows stay: those not stored with the session are taken by the run's end
   * (queue/run-end.ts), or read again by the process that goes on with the run.
   */
  stop(): Promise<void>
}

export interface Coordination {
  /** This process's id (a UUID per process). */
  readonly nodeId: string
  /** An ask of a run of this process, listed by every server until answered or dropped. */
  registerPermission(permission: PendingPermission): Promise<void>
  dropPermission(id: string): Promise<void>
  /** Takes the ask (the one answer that counts): which process waits on it; undefined if none. */
  takePermission(id: string): Promise<{ nodeId: string } | undefined>
  listPermissions(sessionId?: string): Promise<PendingPermission[]>

  /** Delivers a message to a process (to this one too). */
  send(nodeId: string, message: ControlMessage): Promise<void>
  /** Messages addressed to this process, in the order sent. */
  onControl(handler: (message: ControlMessage) => void): () => void

  /**
   * Queues a message for a run, for whichever process runs it (read when it watches the run) — or,
   * once the run stopped reading, for the run its end starts next (`nextRunId`: its prompt when
   * `first`). Undefined when the run's lease has ended (nobody would read it: start a run with it).
   */
  sendToRun(runId: string, message: RunMessage): Promise<RunControlSent | undefined>
  /**
   * This process runs `runId`: its messages (those already queued from the first `read()` on, then
   * each as it comes) go to `handler`, in the order sent, once each, until the watch is stopped.
   */
  watchRun(runId: string, handler: (message: ReceivedRunMessage) => void): RunWatch
  /** Stops the heartbeat and the listening; this process's asks and messages are removed. */
  close(): Promise<void>
}

export interface PostgresCoordinationOptions {
  /** 'server' or 'worker' (shown in live_nodes). */
  kind?: string
  /** The asks of a process silent this long are no longer listed (default 30 s). */
  staleAfterMs?: number
  /** How often this process says it is alive (default 10 s). */
  heartbeatMs?: number
  log?: LogCallback
}

/** A process silent this long is gone for good (its asks and unread messages are deleted). */
const FORGET_SILENT_MS = 60 * 60 * 1000

/** Where a run's messages are addressed in `control_messages` (beside node ids, which are UUIDs). */
const RUN_ADDRESS = 'run:'

/** The `control_messages` address of a run's messages. */
export function runAddress(runId: string): string {
  return `${RUN_ADDRESS}${runId}`
}

interface WatchedRun {
  handler: (message: ReceivedRunMessage) => void
  /** The reads of its messages, one after another. */
  reading: Promise<void>
  /** Rows already handed to the handler (they stay in the table until stored or taken). */
  seen: number[]
}

export class PostgresCoordination implements Coordination {
  readonly nodeId = randomUUID()
  private readonly live: PostgresLive
  private readonly kind: string
  private readonly staleAfterMs: number
  private readonly log: LogCallback
  private readonly handlers = new Set<(message: ControlMessage) => void>()
  private readonly runs = new Map<string, WatchedRun>()
  private heartbeatTimer: NodeJS.Timeout | undefined
  private stopListening: (() => Promise<void>) | undefined
  private reading: Promise<void> | undefined
  private readAgain = false
  private closed = false

  private constructor(live: PostgresLive, options: PostgresCoordinationOptions) {
    this.live = live
    this.kind = options.kind ?? 'server'
    this.staleAfterMs = options.staleAfterMs ?? 30_000
    this.log = options.log ?? (() => {})
  }

  static async open(
    live: PostgresLive,
    options: PostgresCoordinationOptions = {},
  ): Promise<PostgresCoordination> {
    const coordination = new PostgresCoordination(live, options)
    // Alive before it asks anything: asks of a node without a recent heartbeat are not listed.
    await live.heartbeat(coordination.nodeId, coordination.kind)
    coordination.stopListening = await live.listen({
      control: (address) => {
        if (address === coordination.nodeId) coordination.readMessages()
        else if (address.startsWith(RUN_ADDRESS)) coordination.readRun(address.slice(RUN_ADDRESS.length))
      },
      connected: () => {
        coordination.readMessages()
        for (const runId of coordination.runs.keys()) coordination.readRun(runId)
      },
    })
    coordination.heartbeatTimer = setInterval(() => {
      live
        .heartbeat(coordination.nodeId, coordination.kind)
        // Killed processes never leave: what they left behind goes once they are long silent.
        .then(() => live.forgetSilentNodes(FORGET_SILENT_MS))
        .catch((error: unknown) => coordination.log('heartbeat to the database failed', error))
    }, options.heartbeatMs ?? 10_000)
    coordination.heartbeatTimer.unref()
    return coordination
  }

  registerPermission(permission: PendingPermission): Promise<void> {
    return this.live.addPermission({
      id: permission.id,
      sessionId: permission.sessionId,
      runId: permission.runId,
      nodeId: this.nodeId,
      body: JSON.stringify(permission),
    })
  }

  dropPermission(id: string): Promise<void> {
    return this.live.dropPermission(id)
  }

  async takePermission(id: string): Promise<{ nodeId: string } | undefined> {
    const taken = await this.live.takePermission(id)
    return taken ? { nodeId: taken.nodeId } : undefined
  }

  async listPermissions(sessionId?: string): Promise<PendingPermission[]> {
    const rows = await this.live.listPermissions({
      ...(sessionId === undefined ? {} : { sessionId }),
      staleAfterMs: this.staleAfterMs,
    })
    return rows.map((row) => JSON.parse(row.body) as PendingPermission)
  }

  send(nodeId: string, message: ControlMessage): Promise<void> {
    return this.live.sendControl(nodeId, JSON.stringify(message))
  }

  onControl(handler: (message: ControlMessage) => void): () => void {
    this.handlers.add(handler)
    return () => {
      this.handlers.delete(handler)
    }
  }

  sendToRun(runId: string, message: RunMessage): Promise<RunControlSent | undefined> {
    return this.live.sendRunControl(runId, runAddress(runId), JSON.stringify(message))
  }

  watchRun(runId: string, handler: (message: ReceivedRunMessage) => void): RunWatch {
    const watched: WatchedRun = { handler, reading: Promise.resolve(), seen: [] }
    this.runs.set(runId, watched)
    // What was sent before this process took the run (queued, or dispatched again) is read by the
    // run's first `read()`: its engine refreshes its inbox before its first request.
    let closing: Promise<void> | undefined
    return {
      read: () => this.readRun(runId),
      close: () => {
        closing ??= this.live
          .closeRunInbox(runAddress(runId), randomUUID())
          .catch((error: unknown) => this.log(`marking run ${runId} as no longer reading failed`, error))
      },
      stop: async () => {
        // In before the run's end takes its rows (queue/run-end.ts).
        await closing
        if (this.runs.get(runId) !== watched) return
        this.runs.delete(runId)
        await watched.reading
      },
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.heartbeatTimer)
    await this.stopListening?.()
    while (this.reading) await this.reading
    await this.live
      .forgetNode(this.nodeId)
      .catch((error: unknown) => this.log('leaving the database failed', error))
  }

  /** Takes this process's queued messages (on every notice, and after (re)connecting). */
  private readMessages(): void {
    if (this.closed) return
    if (this.reading) {
      this.readAgain = true
      return
    }
    this.reading = (async () => {
      do {
        this.readAgain = false
        try {
          for (const body of await this.live.takeControl(this.nodeId)) this.dispatch(body)
        } catch (error) {
          if (!this.closed) this.log('reading control messages failed', error)
        }
      } while (this.readAgain && !this.closed)
    })().finally(() => {
      this.reading = undefined
    })
  }

  /** Takes the run's queued messages to its handler, after any read of them still under way. */
  private readRun(runId: string): Promise<void> {
    const watched = this.runs.get(runId)
    if (!watched || this.closed) return Promise.resolve()
    watched.reading = watched.reading.then(async () => {
      if (this.runs.get(runId) !== watched) return
      try {
        for (const row of await this.live.readControl(runAddress(runId), watched.seen)) {
          watched.seen.push(row.id)
          const message = parseRunMessage(row.body)
          if (message) watched.handler({ ...message, id: row.id })
        }
      } catch (error) {
        if (!this.closed) this.log(`reading the messages of run ${runId} failed`, error)
      }
    })
    return watched.reading
  }

  private dispatch(body: string): void {
    let message: ControlMessage
    try {
      message = JSON.parse(body) as ControlMessage
    } catch {
      return
    }
    for (const handler of [...this.handlers]) {
      try {
        handler(message)
      } catch (error) {
        this.log('a control message handler failed', error)
      }
    }
  }
}

/** A run's message from its row's body; undefined when it is not one (left for the run's end). */
export function parseRunMessage(body: string): RunMessage | undefined {
  try {
    const message = JSON.parse(body) as Partial<RunMessage>
    if (
      (message.delivery === 'steer' || message.delivery === 'follow_up') &&
      typeof message.text === 'string'
    )
      return { delivery: message.delivery, text: message.text }
  } catch {
    // Not ours to read.
  }
  return undefined
}
