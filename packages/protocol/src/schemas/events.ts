/**
 * The payloads of `GET /api/v1/events` and `GET /api/v1/sessions/{id}/events` (SSE `data`), what the
 * server's EventHub publishes (`PublishedEvents`), and what the SDK's `ServerEvent` is printed from.
 * Engine events are ../events.ts; here they get the stream's snake_case ids. Project and change
 * payloads come without `type` on the wire (the SSE event name carries it; the SDK copies it in),
 * so their schemas say what the SDK hands out and `PublishedData` leaves `type` optional.
 */
import { z } from 'zod'
import { EngineEventSchema, NoticeLevelSchema } from '../events.js'

export const SessionEventSchema = z
  .intersection(
    EngineEventSchema,
    z.object({
      session_id: z.string(),
      run_id: z.string().describe('A snake_case copy of `runId`'),
      project_id: z.number().int().optional().describe("Set on the events of a project run's task agents"),
      task_id: z.number().int().optional().describe("Set on the events of a project run's task agents"),
      project_run_id: z.string().optional().describe("Set on the events of a project run's task agents"),
    }),
  )
  .describe(
    "An engine event as streamed: the engine's event unchanged, plus the session it belongs to and (a snake_case copy of `runId`) `run_id`",
  )

export const PROJECT_EVENT_TYPES = [
  'project.started',
  'task.started',
  'task.role',
  'task.split',
  'task.verifying',
  'task.merged',
  'task.finished',
  'project.finished',
] as const

const projectEvent = <T extends (typeof PROJECT_EVENT_TYPES)[number]>(type: T) =>
  z.looseObject({ type: z.literal(type), project_id: z.number().int(), project_run_id: z.string() })

export const ProjectEventSchema = z
  .discriminatedUnion('type', [
    projectEvent('project.started'),
    projectEvent('task.started'),
    projectEvent('task.role'),
    projectEvent('task.split'),
    projectEvent('task.verifying'),
    projectEvent('task.merged'),
    projectEvent('task.finished'),
    projectEvent('project.finished'),
  ])
  .describe(
    "Progress of `POST /api/v1/projects/{id}/run`: the project runner's event in snake_case (`task`, `index`, `total`, `status`, …) with `project_id` and `project_run_id`. The server leaves `type` out of these payloads; the SDK sets it to the event type. (The task agents' engine events arrive as session events, with `project_id`, `task_id` and `project_run_id` too.)",
  )

export const ProjectNoticeSchema = z
  .object({
    type: z.literal('notice'),
    level: NoticeLevelSchema,
    source: z.string(),
    message: z.string(),
    time: z.number(),
    project_id: z.number().int(),
    project_run_id: z.string(),
  })
  .describe(
    "A project run's notice for the user (settings an untrusted workspace could not change): like an engine `notice`, with no run or session",
  )

export const CHANGE_EVENT_TYPES = [
  'project.created',
  'project.updated',
  'project.deleted',
  'task.created',
  'task.updated',
  'task.status_changed',
  'task.deleted',
  'dependency.added',
  'dependency.removed',
] as const

const changeEvent = <T extends (typeof CHANGE_EVENT_TYPES)[number]>(type: T) =>
  z.looseObject({
    type: z.literal(type),
    change_id: z.number().int(),
    project_id: z.number().int(),
    task_id: z.number().int().optional(),
  })

export const ChangeEventSchema = z
  .discriminatedUnion('type', [
    changeEvent('project.created'),
    changeEvent('project.updated'),
    changeEvent('project.deleted'),
    changeEvent('task.created'),
    changeEvent('task.updated'),
    changeEvent('task.status_changed'),
    changeEvent('task.deleted'),
    changeEvent('dependency.added'),
    changeEvent('dependency.removed'),
  ])
  .describe(
    "A change to a project or its tasks, made by any client of any server: `change_id` is its id in the project's event log, then the record as the API shows it (`project`, or `task` with `from`/`to` for a status change, or `depends_on`). The SDK sets `type`",
  )

export const ResyncEventSchema = z
  .object({
    type: z.literal('resync'),
    session_id: z.string().optional().describe("Present on a session's stream"),
    last_event_id: z.number().int().describe('The id the stream resumed from'),
    reason: z.string(),
  })
  .describe(
    "Sent instead of a replay when a stream resumes from an id whose successors the server no longer keeps (its replay buffer is bounded) or never issued (it restarted): reload what you show (a session's `GET /sessions/{id}/messages`) and carry on with the live events that follow",
  )

export const EventDataSchema = z.union([
  SessionEventSchema,
  ProjectEventSchema,
  ProjectNoticeSchema,
  ChangeEventSchema,
  ResyncEventSchema,
])

export type SessionEventJson = z.output<typeof SessionEventSchema>
export type EventDataJson = z.output<typeof EventDataSchema>
export type StreamedEventType = EventDataJson['type']

/** One payload as the server publishes it: project and change payloads may leave `type` out. */
export type PublishedData<K extends StreamedEventType> =
  Extract<EventDataJson, { type: K }> extends infer T
    ? T extends { type: K }
      ? { [P in keyof T as P extends 'type' ? never : P]: T[P] } & { type?: T['type'] }
      : never
    : never
