/** Request bodies and query parameters of docs/api.md (snake_case, as sent). */
import type { PermissionReply } from './events.js'
import type { ProjectStatus, TaskStatus } from './records.js'

export interface CreateSessionBody {
  /** Absolute path on the server's machine, under its `--root`. */
  workspace: string
  /** `provider/model`; the server's default when absent. */
  model?: string
  /** Allow writes and commands without asking. */
  auto_approve?: boolean
  title?: string
  project_id?: number
  /** The agent to run as (`agents.list`); unknown: 422 with `details.choices`. Its model applies when `model` is absent. */
  agent?: string
}

export interface SendMessageOptions extends RequestOptions {
  /** Switch the session to this agent, from this run on (stored on the session); unknown: 422. */
  agent?: string
}

export interface ListSessionsQuery {
  workspace?: string
  limit?: number
}

export interface ForkSessionBody {
  checkpoint_id?: number
}

export interface RestoreCheckpointBody {
  /**
   * Keep only the first N messages of the checkpoint's conversation: undoing a whole turn keeps the
   * messages before its prompt. The undo checkpoint still holds the whole conversation.
   */
  keep_messages?: number
}

export interface PermissionReplyBody {
  reply: PermissionReply
  /** Told to the model with a rejection. */
  message?: string
}

export interface CreateProjectBody {
  name: string
  description?: string
  workspace?: string
  budget_tokens?: number
  budget_usd?: number
  budget_seconds?: number
}

export interface UpdateProjectBody {
  name?: string
  description?: string | null
  workspace?: string | null
  status?: ProjectStatus
  budget_tokens?: number | null
  budget_usd?: number | null
  budget_seconds?: number | null
}

export interface ListTasksQuery {
  status?: TaskStatus | TaskStatus[]
  /** Only pending tasks whose dependencies are done. */
  ready?: boolean
}

export interface CreateTaskBody {
  title: string
  description?: string
  parent_id?: number
  depends_on?: number[]
  priority?: number
  verify_command?: string
  acceptance_criteria?: string[]
  budget_tokens?: number
  budget_usd?: number
}

export interface UpdateTaskBody {
  title?: string
  description?: string | null
  parent_id?: number | null
  priority?: number
  verify_command?: string | null
  acceptance_criteria?: string[]
  budget_tokens?: number | null
  budget_usd?: number | null
  result_summary?: string | null
}

export interface TransitionTaskBody {
  to: TaskStatus
  summary?: string
  reason?: string
}

export interface PlanProjectBody {
  /** The specification in natural language. */
  spec: string
  dry_run?: boolean
  model?: string
}

export interface RunProjectBody {
  auto_approve?: boolean
  max_tasks?: number
  model?: string
  /** Up to this many ready tasks at once, each in its own git worktree on `penguin/task-<id>`. */
  parallel?: number
  /** Roles each task goes through (in this order; `build` always). */
  roles?: Array<'plan' | 'build' | 'test' | 'review'>
}

export interface ListMemoryQuery {
  /** Required: `project:<id>` or `workspace:<absolute path>`; several are read together. */
  scope: string | string[]
  /** Full-text search when given. */
  q?: string
  limit?: number
}

export interface CreateMemoryBody {
  scope: string
  content: string
  tags?: string[]
  session_id?: string
}

export interface UsageQuery {
  /** ISO-8601: only runs since then. */
  since?: string
}

/** Per-call options every method takes. */
export interface RequestOptions {
  signal?: AbortSignal
}
