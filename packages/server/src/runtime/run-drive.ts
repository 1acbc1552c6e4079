/**
 * One session run driven in the background for the RunManager: its engine events become the run's
 * record and go out through its outbox; messages sent to it from other processes (steering,
 * follow-ups) reach it; its end is announced once the session is free and everything is stored.
 */
import type { Context } from '@opentelemetry/api'
import type { EngineEvent, QueuedMessage } from '@penguin-ai/engine'
import type { ExtensionHost } from '@penguin-ai/extensions'
import type { AgentSession } from '@penguin-ai/sessions'
import type { LogCallback } from '../log.js'
import type { Coordination, RunWatch } from './coordination.js'
import type { RunOutbox } from './run-outbox.js'
import { applyEvent, cancelledRunEvent, failedRunEvent, newRunRecord, type RunRecord } from './run-record.js'
import { instrumentRun, type RunObservers } from './run-telemetry.js'

export interface Notice {
  source: string
  message: string
  /** Default: warning. */
  level?: 'info' | 'warning'
}

/** A warning (or `info`) about the run as an engine `notice` event (clients already show those). */
export function noticeEvent(
  runId: string,
  source: string,
  message: string,
  level: 'info' | 'warning' = 'warning',
): EngineEvent {
  return { type: 'notice', level, source, message, runId, time: Date.now() }
}

export interface Slot {
  sessionId: string
  /** Given back to the queue (a worker shutting down): its end is not announced, another worker goes on. */
  handedBack?: boolean
  /** What holds the session: a run, or an operation that must not overlap one (restore, delete). */
  kind: 'run' | 'lock'
  controller: AbortController
  runId?: string
  /** The run's session, once it is open: messages sent during the run go to it. */
  agent?: AgentSession
  /** Settles once the run has started (or failed to). */
  starting?: Promise<unknown>
  done?: Promise<void>
  /** Ends the run for its clients now (the cancel bound passed); the session stays held. */
  endNow?: () => void
  /** The run's events on their way to the hub (in order, after their asks' rows when shared). */
  outbox: RunOutbox
}

export interface DriveHost {
  readonly log: LogCallback
  readonly observers: RunObservers
  readonly cancelTimeoutMs: number
  readonly coordination: Coordination | undefined
  /** Keeps the run's record for `GET /runs/{id}`. */
  remember(record: RunRecord): void
  /** The run is over: the session is free again (if this slot still holds it). */
  free(slot: Slot): void
  /** After the end was announced: the run's extensions stop (MCP servers, SessionEnd hooks). */
  closeExtensions(sessionId: string, extensions: ExtensionHost): Promise<void>
  /** Resolves once every event published so far is out (stored and announced, when shared). */
  flushEvents(): Promise<void>
}

/** What the run did with the messages sent to it over the database (see `DriveRequest.onEnd`). */
export interface RunMessages {
  /** Receipts (row ids) of the messages the run took in: delivered, or ended without reading. */
  handled: readonly number[]
}

/** What the end of a run adds (see `DriveRequest.onEnd`). */
export interface RunEndReport {
  /** Said on the run's stream just before its end. */
  notices?: Notice[]
  /** Done once the end is out (a next run is dispatched: its events come after this run's). */
  afterEnd?: () => Promise<void>
}

export interface DriveRequest {
  content: string
  /** The run's id when it was named before (queued); else the engine's. */
  runId: string | undefined
  parentContext: Context | undefined
  /** Notices of the run's setup, sent right after `run.started`. */
  held: Notice[]
  /** Closes what the run was set up with (its sandbox): last. */
  release: () => Promise<void>
  extensions: ExtensionHost | undefined
  /**
   * Awaited once the run is over and its session free here, before its end is announced: a worker
   * finishes the run's lease there, so the session is free on every server when `run.finished`
   * goes out (a client that sees it may send the next prompt at once) — and takes the messages
   * that came too late for the run: they start the next one.
   */
  onEnd?: (record: RunRecord, messages: RunMessages) => Promise<RunEndReport | undefined>
}

/** Starts the run; resolves with its record once the engine gave it an id (`run.started`). */
export function driveRun(
  host: DriveHost,
  agent: AgentSession,
  slot: Slot,
  request: DriveRequest,
): Promise<RunRecord> {
  const { sessionId } = slot
  const { log } = host
  let record: RunRecord | undefined
  let finished: EngineEvent | undefined
  /** Set once `run.finished` went out: the client's view of the run is closed. */
  let announced = false
  let watch: RunWatch | undefined
  /** Receipts of the messages from other processes the run took in (the rest came too late). */
  const handled: number[] = []
  const announce = () => {
    if (!finished || announced) return
    announced = true
    if (slot.handedBack) {
      slot.outbox.emit(noticeEvent(finished.runId, 'queue', 'the run was handed back to the queue'))
    } else slot.outbox.emit(finished)
  }
  // Past the cancel bound: the run ends for its clients; whatever the engine does afterwards is
  // neither published nor folded into the record, and the session stays held (as a lock) until
  // it returns.
  slot.endNow = () => {
    if (record?.status !== 'running') return
    finished = cancelledRunEvent(record, host.cancelTimeoutMs)
    applyEvent(record, finished)
    slot.kind = 'lock'
    log(`run ${record.id} did not stop within ${host.cancelTimeoutMs} ms of its cancel`, undefined, {
      sessionId,
      runId: record.id,
    })
    announce()
  }
  slot.agent = agent
  const stopTelemetry = instrumentRun(agent.engine, host.observers, {
    sessionId,
    parentContext: request.parentContext,
  })
  return new Promise<RunRecord>((resolveStarted, rejectStarted) => {
    const onEvent = (event: EngineEvent) => {
      if (announced) return
      if (event.type === 'run.started' && !record) {
        record = newRunRecord(event.runId, sessionId, event.time)
        slot.runId = event.runId
        host.remember(record)
        // Steering and follow-ups sent on any server for this run (also before it started here).
        watch = host.coordination?.watchRun(event.runId, (message) => {
          if (agent.post(message.delivery, message.text, message.id)) handled.push(message.id)
        })
      }
      if (!record || event.runId !== record.id) return
      applyEvent(record, event)
      // run.finished goes out once the session is released and its messages are stored, so a
      // client that sees it can read the history or send the next message at once.
      if (event.type === 'run.finished') {
        finished = event
        // The engine looks for messages no more: a sender is told the run after takes its message.
        if (!slot.handedBack) watch?.close()
      }
      // Live command output is for the terminal UI: the event stream replays a bounded window,
      // which a chatty command would crowd out (tool.finished carries the output all the same).
      // A run handed back to the queue goes on elsewhere: what its abort causes is not news.
      else if (event.type !== 'tool.output' && !slot.handedBack) slot.outbox.emit(event)
      if (event.type === 'run.started') {
        for (const notice of request.held.splice(0))
          slot.outbox.emit(noticeEvent(event.runId, notice.source, notice.message))
        resolveStarted(record)
      }
    }
    slot.done = agent
      .run(request.content, {
        signal: slot.controller.signal,
        onEvent,
        ...(request.runId ? { runId: request.runId } : {}),
        // Closed once the run is over (below): nothing reads its session record again.
        lastRun: true,
        // Before the run looks for messages: every one sent (to the database) by then is in.
        ...(host.coordination ? { fetchMessages: async () => watch?.read() } : {}),
      })
      .then(
        async (result) => {
          if (!record) return rejectStarted(new Error('the engine finished without starting a run'))
          await watch?.stop().catch(() => undefined)
          // Handed back, the rows of what it did not store stay: the next worker reads them.
          reportUndelivered(slot, record, result.undelivered)
        },
        (error: unknown) => {
          log(`run in session ${sessionId} threw`, error, { sessionId, runId: record?.id })
          if (!record) return rejectStarted(error)
          if (record.status === 'running') {
            finished = failedRunEvent(record)
            applyEvent(record, finished)
          }
        },
      )
      .finally(async () => {
        stopTelemetry()
        await watch?.stop().catch(() => undefined)
        await agent
          .close()
          .catch((error: unknown) =>
            log(`closing session ${sessionId} failed`, error, { sessionId, runId: record?.id }),
          )
        host.free(slot)
        let report: RunEndReport | undefined
        if (record && request.onEnd) {
          const ended = record
          report =
            (await request
              .onEnd(ended, { handled })
              .catch((error: unknown) =>
                log(`recording the end of run ${ended.id} failed`, error, { sessionId, runId: ended.id }),
              )) ?? undefined
          if (!announced)
            for (const notice of report?.notices ?? [])
              slot.outbox.emit(noticeEvent(ended.id, notice.source, notice.message, notice.level))
        }
        announce()
        if (report?.afterEnd) {
          const { afterEnd } = report
          await slot.outbox
            .drained()
            .then(() => host.flushEvents())
            .then(afterEnd)
            .catch((error: unknown) =>
              log(`after the end of run ${record?.id}`, error, { sessionId, runId: record?.id }),
            )
        }
        if (request.extensions) await host.closeExtensions(sessionId, request.extensions)
        // Last: a workspace's MCP servers ran in the session's sandbox.
        await request
          .release()
          .catch((error: unknown) =>
            log(`closing the sandbox of session ${sessionId} failed`, error, { sessionId }),
          )
      })
  })
}

/** What was sent to a run that it ended without reading: said before its end is announced. */
function reportUndelivered(slot: Slot, record: RunRecord, messages: QueuedMessage[]): void {
  if (messages.length === 0 || slot.handedBack) return
  const quoted = messages.map((message) => JSON.stringify(message.text)).join(', ')
  const what = messages.length === 1 ? 'A message' : `${messages.length} messages`
  slot.outbox.emit(
    noticeEvent(
      record.id,
      'steering',
      `${what} sent during the run ${messages.length === 1 ? 'was' : 'were'} not delivered: the run ended (${record.status}) first — send ${messages.length === 1 ? 'it' : 'them'} again: ${quoted}`,
    ),
  )
}
