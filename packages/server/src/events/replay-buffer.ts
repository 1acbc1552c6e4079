import type { StreamedEvent } from '../deps.js'

/**
 * The events kept for replay (`Last-Event-ID`, a WebSocket's `last_event_id`), bounded three ways:
 * each session's events by bytes (its oldest go first), all of them by bytes and by count (the
 * oldest overall go first). One long run can no longer hold the server's memory: a `run_command`
 * event carries up to 2 MB of output, and 10,000 of them were kept before.
 *
 * What was dropped is remembered per session (the highest dropped id), so a client resuming from
 * before it learns that it missed events (it then reloads the history instead of a replay).
 */
export interface ReplayLimits {
  /** Per session (and per project run, and for events of neither). Default 4 MiB. */
  maxSessionBytes: number
  /** All events together. Default 32 MiB. */
  maxBytes: number
  /** All events together. Default 10,000. */
  maxEvents: number
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = {
  maxSessionBytes: 4 * 1024 * 1024,
  maxBytes: 32 * 1024 * 1024,
  maxEvents: 10_000,
}

interface Entry {
  event: StreamedEvent
  bytes: number
}

/** A FIFO with O(1) shift: a head index into an array compacted now and then. */
class Queue {
  private items: Entry[] = []
  private head = 0
  bytes = 0

  get size(): number {
    return this.items.length - this.head
  }

  first(): Entry | undefined {
    return this.items[this.head]
  }

  push(entry: Entry): void {
    this.items.push(entry)
    this.bytes += entry.bytes
  }

  shift(): Entry | undefined {
    const entry = this.items[this.head]
    if (!entry) return undefined
    this.items[this.head++] = undefined as unknown as Entry
    this.bytes -= entry.bytes
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return entry
  }

  *entries(): Generator<Entry> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!
  }
}

/** The replay partition an event belongs to: its session, its project run, or neither. */
export function replayKey(event: StreamedEvent): string {
  const session = event.data.session_id
  if (typeof session === 'string') return `session:${session}`
  const project = event.data.project_id
  if (typeof project === 'number' || typeof project === 'string') return `project:${project}`
  return ''
}

export class ReplayBuffer {
  private readonly limits: ReplayLimits
  private readonly queues = new Map<string, Queue>()
  private readonly droppedThrough = new Map<string, number>()
  private lastDropped = 0
  private bytes = 0
  private count = 0

  constructor(limits: Partial<ReplayLimits> = {}) {
    this.limits = { ...DEFAULT_REPLAY_LIMITS, ...limits }
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`)
    }
  }

  /** Bytes retained (the JSON of each event's data). */
  get retainedBytes(): number {
    return this.bytes
  }

  get retainedCount(): number {
    return this.count
  }

  add(event: StreamedEvent, bytes: number): void {
    const key = replayKey(event)
    let queue = this.queues.get(key)
    if (!queue) {
      queue = new Queue()
      this.queues.set(key, queue)
    }
    queue.push({ event, bytes })
    this.bytes += bytes
    this.count++
    // Each partition keeps its newest event whatever its size, so a live reader never misses it.
    while (queue.bytes > this.limits.maxSessionBytes && queue.size > 1) this.drop(key, queue)
    while ((this.bytes > this.limits.maxBytes || this.count > this.limits.maxEvents) && this.count > 1) {
      const oldest = this.oldestQueue()
      if (!oldest) break
      this.drop(oldest[0], oldest[1])
    }
  }

  /** Retained events with id > afterId, oldest first, optionally of one partition only. */
  after(afterId: number, key?: string): StreamedEvent[] {
    const queues = key === undefined ? [...this.queues.values()] : [this.queues.get(key)].filter(Boolean)
    const out: StreamedEvent[] = []
    for (const queue of queues as Queue[]) {
      for (const { event } of queue.entries()) if (event.id > afterId) out.push(event)
    }
    return queues.length > 1 ? out.sort((a, b) => a.id - b.id) : out
  }

  /** Whether an event newer than afterId was dropped (of that partition, or of any). */
  missed(afterId: number, key?: string): boolean {
    const dropped = key === undefined ? this.lastDropped : (this.droppedThrough.get(key) ?? 0)
    return dropped > afterId
  }

  private drop(key: string, queue: Queue): void {
    const entry = queue.shift()
    if (!entry) return
    this.bytes -= entry.bytes
    this.count--
    this.droppedThrough.set(key, entry.event.id)
    this.lastDropped = Math.max(this.lastDropped, entry.event.id)
    if (queue.size === 0) this.queues.delete(key)
  }

  /** The partition holding the oldest retained event. */
  private oldestQueue(): [string, Queue] | undefined {
    let found: [string, Queue] | undefined
    for (const [key, queue] of this.queues) {
      const first = queue.first()
      if (first && (!found || first.event.id < found[1].first()!.event.id)) found = [key, queue]
    }
    return found
  }
}
