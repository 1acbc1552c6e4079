/**
 * The event hub of servers and workers sharing one PostgreSQL database (issue 18): what a process
 * publishes is written to `live_events` (database-wide ids, commit-ordered: see the store's
 * pg/live.ts) and NOTIFY'd; every process takes each batch from its notice — a small batch travels
 * in it, a big one (or one after a gap) is read from the table after the process's last id — and
 * hands the events to its subscribers in id order — its own events too, so every server streams
 * the same events with the same ids, whichever process ran the run. `Last-Event-ID` replays from
 * the table on any server.
 *
 * `publish` only queues: a batch of queued events is one INSERT in one transaction, one at a time
 * per process, so a process's events keep their order and a chatty run costs few round trips. A
 * batch gathers for GATHER_MS after its first event (`flush` cuts that short): what a run emits
 * around one step — a turn's message, its tool's start and end, its checkpoint — goes in one
 * statement, one NOTIFY, and one delivery on every server.
 *
 * A process nothing streams from (a standalone `penguin worker`) opens it `publishOnly`: it neither
 * LISTENs nor reads the table back. Otherwise every batch any process writes would be read by every
 * worker too — reads (and JSON parsing) growing with the square of the fleet, for nobody.
 */
import type { EventsNotice, LiveEventRow, NewLiveEvent, PostgresLive } from '@penguin-ai/store'
import type { EventHub, StreamedEvent } from '../deps.js'
import type { LogCallback } from '../log.js'
import { rememberJson } from './hub.js'

export interface RetentionLimits {
  /** The newest this many events are kept (default 100,000). */
  keepEvents: number
  /** Older events go (default 24 h). */
  maxAgeMs: number
}

export const DEFAULT_RETENTION: RetentionLimits = { keepEvents: 100_000, maxAgeMs: 24 * 60 * 60 * 1000 }

export interface PostgresHubOptions {
  retention?: Partial<RetentionLimits>
  /** How often this process prunes (default 60 s; 0: never, e.g. a test pruning by hand). */
  pruneIntervalMs?: number
  log?: LogCallback
  /** Only writes: no LISTEN, nothing read back; `subscribe` throws (see above). */
  publishOnly?: boolean
}

/** Events per INSERT and per read. */
const BATCH = 500
/** How long a batch gathers events before it is written (see above). */
const GATHER_MS = 25
/** A failed append is tried again this often (with growing pauses) before its events are dropped. */
const APPEND_ATTEMPTS = 6

interface Subscriber {
  filter: (event: StreamedEvent) => boolean
  listener: (event: StreamedEvent) => void
  /** The newest id handed to it: nothing at or below it is delivered again. */
  cursor: number
  /** Live events held while its replay is read. */
  held: StreamedEvent[] | undefined
}

export class PostgresEventHub implements EventHub {
  private readonly live: PostgresLive
  private readonly subscribers = new Set<Subscriber>()
  private readonly retention: RetentionLimits
  private readonly log: LogCallback
  private queue: NewLiveEvent[] = []
  private writing: Promise<void> | undefined
  /** Ends the current batch's gathering now (`flush`). */
  private gathered: (() => void) | undefined
  /** The newest id read from the table and delivered. */
  private cursor = 0
  private reading: Promise<void> | undefined
  /** Notices that came while the table was being read (see `noticed`). */
  private noticesDuringRead: EventsNotice[] = []
  private readAgain = false
  private stopListening: (() => Promise<void>) | undefined
  private pruneTimer: NodeJS.Timeout | undefined
  private closed = false
  private readonly publishOnly: boolean

  private constructor(live: PostgresLive, options: PostgresHubOptions) {
    this.live = live
    this.publishOnly = options.publishOnly ?? false
    this.retention = { ...DEFAULT_RETENTION, ...options.retention }
    this.log = options.log ?? (() => {})
  }

  /** Starts listening; events committed from now on reach subscribers. */
  static async open(live: PostgresLive, options: PostgresHubOptions = {}): Promise<PostgresEventHub> {
    const hub = new PostgresEventHub(live, options)
    if (!hub.publishOnly) {
      hub.cursor = await live.lastEventId()
      hub.stopListening = await live.listen({
        events: (notice) => hub.noticed(notice),
        connected: () => hub.catchUp(),
      })
      // Opened means caught up: a notice that came while this first read was under way would send
      // every batch after it to the table too, one read chasing the next on a busy machine.
      await hub.reading
    }
    const interval = options.pruneIntervalMs ?? 60_000
    if (interval > 0) {
      hub.pruneTimer = setInterval(() => void hub.prune().catch(() => {}), interval)
      hub.pruneTimer.unref()
    }
    return hub
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** The newest id this process has delivered. */
  get lastId(): number {
    return this.cursor
  }

  publish(event: string, data: Record<string, unknown>): void {
    if (this.closed) return
    this.queue.push({
      type: event,
      sessionId: typeof data.session_id === 'string' ? data.session_id : null,
      runId: typeof data.run_id === 'string' ? data.run_id : null,
      data: JSON.stringify(data),
    })
    this.writing ??= this.write().finally(() => {
      this.writing = undefined
    })
  }

  async flush(): Promise<void> {
    this.gathered?.()
    while (this.writing) await this.writing
  }

  subscribe(
    filter: (event: StreamedEvent) => boolean,
    listener: (event: StreamedEvent) => void,
    afterId?: number,
    sessionId?: string,
  ): () => void {
    if (this.publishOnly)
      throw new Error('this event hub only publishes: subscribe to a server sharing its database')
    const subscriber: Subscriber = { filter, listener, cursor: this.cursor, held: undefined }
    if (afterId !== undefined) {
      subscriber.held = []
      subscriber.cursor = afterId
      void this.replay(subscriber, afterId, sessionId).catch((error: unknown) => {
        this.log('replaying events from the database failed', error)
        this.release(subscriber, this.cursor)
      })
    }
    this.subscribers.add(subscriber)
    return () => {
      this.subscribers.delete(subscriber)
    }
  }

  /** Every stored event of one run, oldest first (`GET /runs/{id}` of a run another process runs). */
  async runHistory(runId: string, types?: readonly string[]): Promise<StreamedEvent[]> {
    const events: StreamedEvent[] = []
    for (let after = 0; ; ) {
      const rows = await this.live.eventsAfter(after, { runId, ...(types ? { types } : {}), limit: BATCH })
      events.push(...rows.map(streamed))
      if (rows.length < BATCH) return events
      after = rows.at(-1)?.id ?? after
    }
  }

  /** Deletes what retention no longer keeps (every process prunes now and then; any may). */
  async prune(): Promise<number> {
    return this.live.pruneEvents(this.retention)
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.flush()
    this.closed = true
    clearInterval(this.pruneTimer)
    await this.stopListening?.()
    while (this.reading) await this.reading
    this.subscribers.clear()
  }

  private async write(): Promise<void> {
    // What a run emits around one step goes in one INSERT: the batch is taken GATHER_MS after its
    // first event (or at once, asked to flush).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GATHER_MS)
      this.gathered = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    this.gathered = undefined
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, BATCH)
      for (let attempt = 1; ; attempt++) {
        try {
          await this.live.appendEvents(batch)
          break
        } catch (error) {
          if (attempt >= APPEND_ATTEMPTS) {
            this.log(`${batch.length} live events could not be stored and were dropped`, error)
            break
          }
          await pause(50 * 2 ** attempt)
        }
      }
      this.queue.splice(0, batch.length)
      // Its own events reach this process as everybody's do: through the notification.
    }
  }

  /**
   * A batch was committed. The one right after the cursor, carried by the notification, is handed
   * on as it is; anything else (a big batch, a gap: a notice missed) is read from the table.
   */
  private noticed(notice: EventsNotice): void {
    if (this.closed || notice.newestId <= this.cursor) return
    if (this.reading) {
      // Handed on once the read is done, from itself when it follows what the read delivered: a
      // busy process must not fall into reading the table for every batch, one read after another.
      if (notice.events) this.noticesDuringRead.push(notice)
      else this.readAgain = true
      return
    }
    if (!this.handOn(notice)) this.catchUp()
  }

  /** Delivers the notice's batch when it is the one right after the cursor; false: read the table. */
  private handOn(notice: EventsNotice): boolean {
    if (notice.newestId <= this.cursor) return true
    if (!notice.events || notice.events[0]?.id !== this.cursor + 1) return false
    for (const row of notice.events) this.deliver(streamed(row))
    return true
  }

  /** Reads what was committed after the cursor (again, if asked while a read is under way). */
  private catchUp(): void {
    if (this.closed || this.publishOnly) return
    if (this.reading) {
      this.readAgain = true
      return
    }
    this.reading = (async () => {
      do {
        this.readAgain = false
        try {
          for (;;) {
            const rows = await this.live.eventsAfter(this.cursor, { limit: BATCH })
            for (const row of rows) this.deliver(streamed(row))
            if (rows.length < BATCH) break
          }
        } catch (error) {
          // The next notice (or reconnect) reads again from the same cursor: nothing is skipped.
          this.noticesDuringRead = []
          if (!this.closed) this.log('reading live events from the database failed', error)
          continue
        }
        // What committed after the read's snapshot came in notices meanwhile, in commit order.
        for (const notice of this.noticesDuringRead.splice(0)) if (!this.handOn(notice)) this.readAgain = true
      } while (this.readAgain && !this.closed)
    })().finally(() => {
      this.reading = undefined
    })
  }

  private deliver(event: StreamedEvent): void {
    this.cursor = Math.max(this.cursor, event.id)
    for (const subscriber of [...this.subscribers]) {
      if (!this.subscribers.has(subscriber)) continue
      if (subscriber.held) subscriber.held.push(event)
      else hand(subscriber, event)
    }
  }

  /** The table's events after `afterId` (of the session), then what arrived live meanwhile. */
  private async replay(
    subscriber: Subscriber,
    afterId: number,
    sessionId: string | undefined,
  ): Promise<void> {
    const [pruned, newest] = await Promise.all([this.live.prunedThrough(), this.live.lastEventId()])
    if (afterId > newest || afterId < pruned) {
      safely(() => subscriber.listener(resync(afterId, newest, sessionId, afterId > newest)))
      return this.release(subscriber, newest)
    }
    for (let after = afterId; ; ) {
      const rows = await this.live.eventsAfter(after, {
        ...(sessionId === undefined ? {} : { sessionId }),
        limit: BATCH,
      })
      for (const row of rows) hand(subscriber, streamed(row))
      if (rows.length < BATCH) break
      after = rows.at(-1)?.id ?? after
    }
    this.release(subscriber, subscriber.cursor)
  }

  private release(subscriber: Subscriber, cursor: number): void {
    subscriber.cursor = Math.max(subscriber.cursor, cursor)
    const held = subscriber.held ?? []
    subscriber.held = undefined
    for (const event of held) hand(subscriber, event)
  }
}

function streamed(row: LiveEventRow): StreamedEvent {
  const event: StreamedEvent = { id: row.id, event: row.type, data: JSON.parse(row.data) }
  rememberJson(event, row.data)
  return event
}

function hand(subscriber: Subscriber, event: StreamedEvent): void {
  if (event.id <= subscriber.cursor) return
  subscriber.cursor = event.id
  safely(() => {
    if (subscriber.filter(event)) subscriber.listener(event)
  })
}

function resync(
  afterId: number,
  newest: number,
  sessionId: string | undefined,
  unknown: boolean,
): StreamedEvent {
  return {
    id: newest,
    event: 'resync',
    data: {
      ...(sessionId === undefined ? {} : { session_id: sessionId }),
      last_event_id: afterId,
      reason: unknown
        ? 'no event has that id yet; reload the history'
        : 'events after that id are no longer kept; reload the history',
    },
  }
}

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // a subscriber's own stream handles its failures
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
