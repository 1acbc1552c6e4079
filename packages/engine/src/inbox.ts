/**
 * Messages a person sends to a run while it is in progress. Two ways in, as in a chat where one
 * types while the agent works:
 * - `steer`: taken before the next model request — after the tool results of the turn in progress
 *   are appended — so the model reads it before deciding what to do next;
 * - `follow_up`: taken only when the model would stop (answered without tool calls): the run goes
 *   on with it instead of ending.
 * Either is appended to the conversation as a normal user message, and announced with a
 * `message.delivered` event. A steering message still waiting when the model stops is delivered
 * then too (before any follow-up).
 */

import type { Delivery } from '@penguin-ai/protocol'

/** How a message sent during a run reaches the model (defined with the events, in the protocol). */
export type { Delivery }

/**
 * Where the engine takes a run's messages from (`RunOptions.inbox`). `take` is synchronous on
 * purpose: when the engine has found nothing more and ends the run, no message can have slipped in
 * between its last look and `run.finished` (see `MessageInbox.close`).
 */
export interface RunInbox {
  /** Removes and returns the queued messages of that kind, oldest first. */
  take(delivery: Delivery): string[]
  /**
   * Awaited before the engine looks (before each request, and when the model would stop): brings
   * in messages sent from elsewhere — another process — so that every message sent before that
   * moment is taken then.
   */
  refresh?(): Promise<void>
}

export interface QueuedMessage {
  delivery: Delivery
  text: string
  /**
   * The host's id for the message (a server's: the database row it came from), handed back with
   * it — by `close()`, or by `delivered()` once the engine appended it to the conversation.
   */
  receipt?: number
}

/** A run's inbox: a host posts to it while the run is in progress, and closes it when it ends. */
export class MessageInbox implements RunInbox {
  private queued: QueuedMessage[] = []
  /** Taken by the engine, not yet announced as delivered (see `delivered`). */
  private taken: QueuedMessage[] = []
  private open = true
  private readonly fetch: (() => Promise<void>) | undefined

  /** `fetch`: see `RunInbox.refresh` (it posts what it brings in). */
  constructor(fetch?: () => Promise<void>) {
    this.fetch = fetch
  }

  async refresh(): Promise<void> {
    await this.fetch?.()
  }

  /** Queues a message for the run; false once the run has ended (send it as a new prompt then). */
  post(delivery: Delivery, text: string, receipt?: number): boolean {
    if (!this.open) return false
    this.queued.push({ delivery, text, ...(receipt === undefined ? {} : { receipt }) })
    return true
  }

  take(delivery: Delivery): string[] {
    const taken = this.queued.filter((message) => message.delivery === delivery)
    if (taken.length) {
      this.queued = this.queued.filter((message) => message.delivery !== delivery)
      this.taken.push(...taken.filter((message) => message.receipt !== undefined))
    }
    return taken.map((message) => message.text)
  }

  /**
   * The taken message a `message.delivered` event announces (the oldest taken one of that kind and
   * text), with its receipt; undefined when it was posted without one. Call it once per event.
   */
  delivered(delivery: Delivery, text: string): QueuedMessage | undefined {
    const at = this.taken.findIndex((message) => message.delivery === delivery && message.text === text)
    return at === -1 ? undefined : this.taken.splice(at, 1)[0]
  }

  /** Whether messages are still accepted. */
  get isOpen(): boolean {
    return this.open
  }

  /** The run is over: later posts are refused; returns what it never took, in the order posted. */
  close(): QueuedMessage[] {
    this.open = false
    return this.queued.splice(0)
  }
}
