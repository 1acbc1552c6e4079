/**
 * The store's change feed on the event hub (issue 21: one event system): every change this process
 * commits to a project — a task created, edited, moved or deleted, a dependency added, the project
 * itself — goes out on the all-events stream under the store's own change type (`task.updated`,
 * `task.status_changed`, `project.created`, `dependency.added`, …), so clients of every server (on a
 * shared database) see edits made by other clients live. Only this process's changes: each process
 * publishes its own, and the hub carries them to the others.
 *
 * `data`: `change_id` (the change's id in the store's event log, `GET /projects/{id}/events`),
 * `project_id`, `task_id` and the record as the API shows it (`task`, `project`).
 *
 * Not published: session and checkpoint changes (a session's clients follow its runs' own events;
 * its records are read back from the API) and the store's `run.started`/`run.finished` of task runs
 * (a project run's progress already streams as `task.started`/`task.finished`), so a session's stream
 * and a run's events are what they were.
 */
import type { CHANGE_EVENT_TYPES, PublishedData } from '@penguin-ai/protocol/api'
import type { AsyncStore, RecordedChange } from '@penguin-ai/store'
import type { EventHub } from '../deps.js'
import { toSnake } from '../http/case.js'
import { taskJson } from '../json/tasks.js'

/** The store change types streamed, as their SSE event types (the protocol's `CHANGE_EVENT_TYPES`). */
type StreamedChange = (typeof CHANGE_EVENT_TYPES)[number]

/** Publishes this process's project changes on the hub until the returned function is called. */
export function publishChanges(store: AsyncStore, hub: EventHub): () => void {
  return store.subscribe(
    (change) => {
      const event = changeEvent(change)
      if (event) hub.publish(event.type, event.data)
    },
    { local: true },
  )
}

/** The event to stream, or undefined for a change that is not streamed. */
export function changeEvent(
  change: RecordedChange,
): { type: StreamedChange; data: PublishedData<StreamedChange> } | undefined {
  const head = { change_id: change.eventId }
  switch (change.type) {
    case 'project.created':
    case 'project.updated':
      return {
        type: change.type,
        data: { ...head, project_id: change.project.id, project: toSnake(change.project) },
      }
    case 'project.deleted':
      return { type: change.type, data: { ...head, project_id: change.projectId } }
    case 'task.created':
    case 'task.updated':
      return {
        type: change.type,
        data: {
          ...head,
          project_id: change.task.projectId,
          task_id: change.task.id,
          task: taskJson(change.task),
        },
      }
    case 'task.status_changed':
      return {
        type: change.type,
        data: {
          ...head,
          project_id: change.task.projectId,
          task_id: change.task.id,
          from: change.from,
          to: change.to,
          task: taskJson(change.task),
        },
      }
    case 'task.deleted':
      return { type: change.type, data: { ...head, project_id: change.projectId, task_id: change.taskId } }
    case 'dependency.added':
    case 'dependency.removed':
      return {
        type: change.type,
        data: { ...head, project_id: change.projectId, task_id: change.taskId, depends_on: change.dependsOn },
      }
    default:
      return undefined
  }
}
