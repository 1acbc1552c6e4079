/**
 * A session run's events on their way to the hub. Alone (no shared database) an event is published
 * at once. With a shared database (servers and workers on one Postgres) they go out in order, and a
 * `permission.asked` only once its ask is listed in the database — so a client of ANY server that
 * sees the ask can answer it there. The ask's row goes again once it is answered or dropped.
 */
import type { EngineEvent } from '@penguin-ai/engine'
import type { LogCallback } from '../log.js'
import type { Coordination } from './coordination.js'
import type { PendingPermission } from './permissions.js'

export class RunOutbox {
  private readonly publish: (event: EngineEvent) => void
  private readonly shared: Coordination | undefined
  private readonly log: LogCallback
  private chain: Promise<void> = Promise.resolve()
  private readonly registrations = new Map<string, Promise<void>>()

  constructor(publish: (event: EngineEvent) => void, shared: Coordination | undefined, log: LogCallback) {
    this.publish = publish
    this.shared = shared
    this.log = log
  }

  emit(event: EngineEvent): void {
    if (!this.shared) {
      this.publish(event)
      return
    }
    // Read when the chain gets there: the ask is registered right after its event is emitted.
    const registration = () =>
      event.type === 'permission.asked' ? this.registrations.get(event.id) : undefined
    this.chain = this.chain
      .then(registration)
      .catch(() => undefined)
      .then(() => this.publish(event))
  }

  /** Resolves once every event emitted so far went to the hub. */
  drained(): Promise<void> {
    return this.chain
  }

  /** Lists an ask of this run in the database until `answer` settles. */
  share(pending: PendingPermission, answer: Promise<unknown>): void {
    const shared = this.shared
    if (!shared) return
    const { id } = pending
    const registered = shared.registerPermission(pending).catch((error: unknown) => {
      this.log(`listing permission ${id} in the database failed`, error, { sessionId: pending.sessionId })
    })
    this.registrations.set(id, registered)
    void answer
      .then(() => registered)
      .then(() => shared.dropPermission(id))
      .catch(() => undefined)
      .finally(() => this.registrations.delete(id))
  }
}
