import type { EventHub, StreamedEvent } from '../deps.js'

export const DEFAULT_RETAINED_EVENTS = 10_000

interface Subscriber {
  filter: (event: StreamedEvent) => boolean
  listener: (event: StreamedEvent) => void
}

/**
 * The server's event fan-out: every published event gets the next server-wide id, is kept in a
 * bounded ring (for `Last-Event-ID` replay) and handed to each matching subscriber synchronously,
 * so one event reaches 100 subscribers in one pass with no queueing of its own.
 */
export class MemoryEventHub implements EventHub {
  private readonly capacity: number
  private readonly ring: (StreamedEvent | undefined)[]
  private readonly subscribers = new Set<Subscriber>()
  private nextId = 1
  private size = 0

  constructor(capacity = DEFAULT_RETAINED_EVENTS) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
    this.ring = new Array(capacity)
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** The id of the newest event (0 before any). */
  get lastId(): number {
    return this.nextId - 1
  }

  publish(event: string, data: Record<string, unknown>): StreamedEvent {
    const streamed: StreamedEvent = { id: this.nextId++, event, data }
    this.ring[(streamed.id - 1) % this.capacity] = streamed
    if (this.size < this.capacity) this.size++
    for (const subscriber of [...this.subscribers]) {
      if (!this.subscribers.has(subscriber)) continue
      deliver(subscriber, streamed)
    }
    return streamed
  }

  subscribe(
    filter: (event: StreamedEvent) => boolean,
    listener: (event: StreamedEvent) => void,
    afterId?: number,
  ): () => void {
    const subscriber: Subscriber = { filter, listener }
    if (afterId !== undefined) {
      // An id from the future belongs to an earlier run of the server (ids restart with it): the
      // client has seen none of these events, so it gets everything retained.
      const from = afterId > this.lastId ? 0 : afterId
      for (const event of this.retainedAfter(from)) deliver(subscriber, event)
    }
    this.subscribers.add(subscriber)
    return () => {
      this.subscribers.delete(subscriber)
    }
  }

  /** Retained events with id > afterId, oldest first. */
  retainedAfter(afterId: number): StreamedEvent[] {
    const oldest = this.nextId - this.size
    const out: StreamedEvent[] = []
    for (let id = Math.max(afterId + 1, oldest); id < this.nextId; id++) {
      const event = this.ring[(id - 1) % this.capacity]
      if (event) out.push(event)
    }
    return out
  }
}

/** A listener that throws must not stop the others (one broken stream, not the whole server). */
function deliver(subscriber: Subscriber, event: StreamedEvent): void {
  try {
    if (subscriber.filter(event)) subscriber.listener(event)
  } catch {
    // ignored: the subscriber's own stream handles its failures
  }
}
