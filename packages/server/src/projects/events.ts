/**
 * A project run's progress on the EventHub. Project events (`project.started`, `task.started`,
 * `task.verifying`, `task.finished`, `project.finished`) carry `project_id`, `project_run_id` and
 * the event's payload in snake_case. The task agents' engine events are passed through as the engine
 * emits them (like a session's), plus `session_id`, `run_id`, `project_id`, `task_id` and
 * `project_run_id`.
 */
import type { EngineEvent } from '@penguin-ai/engine'
import type { ProjectRunEvent } from '@penguin-ai/projects'
import type { PublishedData } from '@penguin-ai/protocol/api'
import type { EventHub } from '../deps.js'
import { toSnake } from '../http/case.js'
import type { TaskSessionContext } from './agent.js'

export interface ProjectRunPublisher {
  /** Every ProjectRunEvent except `task.agent` (engine events come through `engine`). */
  project(event: ProjectRunEvent): void
  engine(context: TaskSessionContext, event: EngineEvent): void
  taskSession(taskId: number, sessionId: string): void
  /** The run threw before it could finish: a `project.finished` with status `failed`. */
  failed(error: unknown): void
}

export function projectRunPublisher(
  events: Pick<EventHub, 'publish'>,
  ids: { projectId: number; projectRunId: string },
): ProjectRunPublisher {
  const base = { project_id: ids.projectId, project_run_id: ids.projectRunId }
  /** The session each task ran in, added to its `task.finished`. */
  const sessions = new Map<number, string>()
  let finished = false
  return {
    project(event) {
      if (event.type === 'task.agent') return
      const { type, ...payload } = event
      const data: PublishedData<typeof type> = { ...base, ...(toSnake(payload) as Record<string, unknown>) }
      if (event.type === 'task.finished') {
        const sessionId = sessions.get(event.task.id)
        if (sessionId) data.session_id = sessionId
      }
      if (event.type === 'project.finished') finished = true
      events.publish(type, data)
    },
    engine(context, event) {
      events.publish(event.type, {
        ...event,
        session_id: context.sessionId,
        run_id: event.runId,
        ...base,
        task_id: context.taskId,
      })
    },
    taskSession(taskId, sessionId) {
      sessions.set(taskId, sessionId)
    },
    failed(error) {
      if (finished) return
      finished = true
      const message = error instanceof Error ? error.message : String(error)
      events.publish('project.finished', { ...base, status: 'failed', message: `the run failed: ${message}` })
    },
  }
}
