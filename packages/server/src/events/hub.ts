import type { EventHub, StreamedEvent } from '../deps.js'
import { DEFAULT_REPLAY_LIMITS, ReplayBuffer, type ReplayLimits } from './replay-buffer.js'

export const DEFAULT_RETAINED_EVENTS = DEFAULT_REPLAY_LIMITS.maxEvents

interface Subscriber {
  filter: (event: StreamedEvent) => boolean
  listener: (event: StreamedEvent) => void
}

/** Each event's data as JSON, made once and shared by every stream that sends it. */
const serialized = new WeakMap<StreamedEvent, string>()

/** Records an event's JSON as it was stored (the Postgres hub reads it back as text). */
export function rememberJson(event: StreamedEvent, json: string): void {
  serialized.set(event, json)
}

export function eventJson(event: StreamedEvent): string {
  let json = serialized.get(event)
  if (json === undefined) {
    json = JSON.stringify(event.data)
    serialized.set(event, json)
  }
  return json
}

/**
 * The server's event fan-out: every published event gets the next server-wide id, is kept in a
 * bounded replay buffer (see ReplayBuffer) and handed to each matching subscriber synchronously,
 * so one event reaches 100 subscribers in one pass with no queueing of its own.
 *
 * A subscriber resuming after an id whose successors were dropped (or from an id this process
 * never issued: ids restart with the server) gets one `resync` event instead of a partial replay:
 * it reloads the history (`GET /sessions/{id}/messages`) and continues with live events.
 */
export class MemoryEventHub implements EventHub {
  private readonly buffer: ReplayBuffer
  private readonly subscribers = new Set<Subscriber>()
  private nextId = 1

  /** A number is the most events kept (the other limits at their defaults). */
  constructor(limits: number | Partial<ReplayLimits> = {}) {
    this.buffer = new ReplayBuffer(typeof limits === 'number' ? { maxEvents: limits } : limits)
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** The id of the newest event (0 before any). */
  get lastId(): number {
    return this.nextId - 1
  }

  /** Bytes of event data kept for replay. */
  get retainedBytes(): number {
    return this.buffer.retainedBytes
  }

  publish(event: string, data: Record<string, unknown>): StreamedEvent {
    const streamed: StreamedEvent = { id: this.nextId++, event, data }
    this.buffer.add(streamed, eventJson(streamed).length)
    for (const subscriber of [...this.subscribers]) {
      if (!this.subscribers.has(subscriber)) continue
      deliver(subscriber, streamed)
    }
    return streamed
  }

  /** Nothing to wait for: published events are delivered before publish returns. */
  flush(): Promise<void> {
    return Promise.resolve()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  subscribe(
    filter: (event: StreamedEvent) => boolean,
    listener: (event: StreamedEvent) => void,
    afterId?: number,
    sessionId?: string,
  ): () => void {
    const subscriber: Subscriber = { filter, listener }
    if (afterId !== undefined) {
      const key = sessionId === undefined ? undefined : `session:${sessionId}`
      if (afterId > this.lastId || this.buffer.missed(afterId, key)) {
        safely(() => listener(this.resync(afterId, sessionId)))
      } else {
        for (const event of this.buffer.after(afterId, key)) deliver(subscriber, event)
      }
    }
    this.subscribers.add(subscriber)
    return () => {
      this.subscribers.delete(subscriber)
    }
  }

  /** Retained events with id > afterId, oldest first. */
  retainedAfter(afterId: number): StreamedEvent[] {
    return this.buffer.after(afterId)
  }

  /** Carries the newest id, so a client that resumes again later starts from here. */
  private resync(afterId: number, sessionId: string | undefined): StreamedEvent {
    return {
      id: this.lastId,
      event: 'resync',
      data: {
        ...(sessionId === undefined ? {} : { session_id: sessionId }),
        last_event_id: afterId,
        reason:
          afterId > this.lastId
            ? 'the server restarted since that event id; reload the history'
            : 'events after that id are no longer kept; reload the history',
      },
    }
  }
}

/** A listener that throws must not stop the others (one broken stream, not the whole server). */
function deliver(subscriber: Subscriber, event: StreamedEvent): void {
  safely(() => {
    if (subscriber.filter(event)) subscriber.listener(event)
  })
}

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // ignored: the subscriber's own stream handles its failures
  }
}
