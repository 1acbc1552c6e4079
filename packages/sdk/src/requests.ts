/**
 * Request bodies (printed from the server's zod schemas into generated.ts) and the query options of
 * the client's methods (snake_case, as sent; list values are joined or repeated by the method).
 */
import type { TaskStatus } from './generated.js'

export type {
  CreateMemoryBody,
  CreateProjectBody,
  CreateSessionBody,
  CreateTaskBody,
  ForkSessionBody,
  PermissionReplyBody,
  PlanProjectBody,
  RestoreCheckpointBody,
  RunProjectBody,
  TransitionTaskBody,
  UpdateProjectBody,
  UpdateTaskBody,
} from './generated.js'

export interface SendMessageOptions extends RequestOptions {
  /** Switch the session to this agent, from this run on (stored on the session); unknown: 422. */
  agent?: string
  /**
   * While a run is active, give it the message instead of failing with 409: `steer` — the model
   * reads it before its next request (after the tool results of the turn in progress); `follow_up`
   * — when it would stop, and the run goes on with it. With no run active it starts one.
   */
  delivery?: 'steer' | 'follow_up'
}

export interface ListSessionsQuery {
  workspace?: string
  limit?: number
}

export interface ListTasksQuery {
  status?: TaskStatus | TaskStatus[]
  /** Only pending tasks whose dependencies are done. */
  ready?: boolean
}

export interface ListMemoryQuery {
  /** Required: `project:<id>` or `workspace:<absolute path>`; several are read together. */
  scope: string | string[]
  /** Full-text search when given. */
  q?: string
  limit?: number
}

export interface UsageQuery {
  /** ISO-8601: only runs since then. */
  since?: string
}

/** Per-call options every method takes. */
export interface RequestOptions {
  signal?: AbortSignal
}
