/**
 * Change events: each mutation appends a row to `events` inside its transaction and queues the
 * change; the queue goes to listeners after the outermost commit, and is dropped on rollback.
 */
import type { ChangeEvent, ChangeListener, RecordedChange } from './types.js'

export class EventHub {
  readonly #listeners = new Set<ChangeListener>()
  #pending: RecordedChange[] = []

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Queues a change whose row the caller has written in its open transaction. */
  queue(change: RecordedChange): void {
    this.#pending.push(change)
  }

  /** A position to roll the queue back to if the (sub)transaction that follows fails. */
  mark(): number {
    return this.#pending.length
  }

  discard(mark: number): void {
    this.#pending.length = Math.min(mark, this.#pending.length)
  }

  /** Delivers the queued events; a listener that throws is ignored, the others still get them. */
  flush(): void {
    if (this.#pending.length === 0) return
    const batch = this.#pending
    this.#pending = []
    for (const event of batch) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(event)
        } catch {
          // A listener's failure is its own; the change is committed and the store carries on.
        }
      }
    }
  }

  clear(): void {
    this.#listeners.clear()
    this.#pending = []
  }
}

export function subjectOf(event: ChangeEvent): { projectId: number | null; taskId: number | null } {
  switch (event.type) {
    case 'project.created':
    case 'project.updated':
      return { projectId: event.project.id, taskId: null }
    case 'project.deleted':
      return { projectId: event.projectId, taskId: null }
    case 'task.created':
    case 'task.updated':
    case 'task.status_changed':
      return { projectId: event.task.projectId, taskId: event.task.id }
    case 'task.deleted':
    case 'dependency.added':
    case 'dependency.removed':
      return { projectId: event.projectId, taskId: event.taskId }
    case 'run.started':
    case 'run.finished':
      return { projectId: event.run.projectId, taskId: event.run.taskId }
    case 'session.created':
    case 'session.updated':
    case 'session.restored':
      return { projectId: event.session.projectId, taskId: null }
    case 'session.deleted':
    case 'checkpoint.created':
      return { projectId: null, taskId: null }
  }
}
