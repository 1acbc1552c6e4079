// GENERATED from @penguin-ai/protocol's zod schemas by test/generated-types.test.ts — do not edit.
// Records are what the server sends (z.output), bodies what it accepts (z.input); snake_case keys.
// Regenerate: UPDATE_README=1 pnpm --filter @penguin-ai/sdk exec vitest run test/generated-types.test.ts
import type { PermissionPreview, ToolDetails } from './tool-details.js'

export interface UsageRecord {
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the prompt cache. */
  cache_write_tokens: number
  /** The same as cache_read_tokens (earlier name) */
  cached_input_tokens: number
  total_tokens: number
}

export interface Session {
  id: string
  title: string | null
  workspace: string
  model: string | null
  project_id: number | null
  parent_id: string | null
  forked_from_checkpoint_id: number | null
  /** A sub-agent's session: the session whose task call started it (see /sessions/{id}/children) */
  parent_session_id: string | null
  /** The agent the session runs as (a sub-agent's, or the one picked with `agent`); null: the default agent (build) */
  agent: string | null
  message_count: number
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the prompt cache. */
  cache_write_tokens: number
  cost_usd: number
  auto_approve: boolean
  active_run_id: string | null
  /** ISO-8601 time (UTC) */
  created_at: string
  /** ISO-8601 time (UTC) */
  updated_at: string
}

export interface ImagePart {
  type: 'image'
  media_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
  /** The image bytes, base64. */
  data: string
}

export type Part =
  | {
      type: 'text'
      text: string
    }
  | ImagePart
  | {
      type: 'reasoning'
      /** Readable reasoning; empty when the provider hid it. */
      text: string
      /** The wire it came from. */
      api?: string
      signature?: string
      redacted?: string
      id?: string
      summary?: string[]
      encrypted?: string
    }
  | {
      type: 'tool_call'
      id: string
      name: string
      arguments: string
    }
  | {
      type: 'tool_result'
      tool_call_id: string
      name: string
      content: string
      is_error: boolean
      images?: ImagePart[]
      /** What the call did, as its tool.finished event said; absent for results stored before details existed. */
      details?: ToolDetails
    }
  | {
      type: 'summary'
      text: string
      kept_messages?: number
    }

export interface Message {
  id: number
  session_id: string
  role: 'user' | 'assistant' | 'tool'
  parts: Part[]
  model: string | null
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the prompt cache. */
  cache_write_tokens: number
  cost_usd: number
  /** ISO-8601 time (UTC) */
  created_at: string
}

export interface Run {
  /** The engine run id. */
  id: string
  session_id: string
  status: 'running' | 'completed' | 'failed' | 'aborted' | 'max_iterations' | 'budget_exceeded'
  /** ISO-8601 time (UTC) */
  started_at: string
  /** ISO-8601 time (UTC) */
  finished_at: string | null
  text: string
  usage: UsageRecord
  cost_usd: number
  error: {
    kind: string
    message: string
  } | null
}

export interface Permission {
  id: string
  session_id: string
  run_id: string
  call_id: string
  tool: string
  access: 'read' | 'write' | 'execute'
  subject: string
  args: unknown
  /** Exactly what the call will do: the whole command, every file with its operation, real paths, diffs. */
  preview: PermissionPreview
  /** Why only an explicit answer allows it (a write inside .git/ or .penguin/) */
  reason?: string
  /** Set when a sub-agent asks through this session's run: the agent's name. */
  agent?: string
  /** The asking sub-agent's own session (a child of session_id) */
  subagent_session_id?: string
  /** ISO-8601 time (UTC) */
  asked_at: string
}

export interface PermissionAnswered {
  id: string
  reply: 'once' | 'always' | 'reject'
}

export interface Checkpoint {
  id: number
  session_id: string
  kind: 'turn' | 'pre_restore' | 'manual'
  commit: string | null
  message_count: number
  /** The conversation when it was taken: inclusive ranges of the session's message ids, e.g. [[1, 4], [9, 12]]. */
  message_ranges: [number, number][]
  label: string | null
  /** ISO-8601 time (UTC) */
  created_at: string
}

export interface FileChange {
  path: string
  status: 'added' | 'modified' | 'deleted'
  additions?: number
  deletions?: number
  binary?: boolean
}

export interface CheckpointDiff {
  checkpoint: Checkpoint
  changes: FileChange[]
  /** Unified diff from the checkpoint to the workspace now. */
  patch: string
}

export interface CheckpointRestore {
  checkpoint: Checkpoint
  /** Messages in the conversation after the restore. */
  message_count: number
  /** Restoring this checkpoint undoes the restore. */
  undo_checkpoint_id: number
  changes: FileChange[]
}

export interface CompactResult {
  /** False: nothing older than the recent turns to summarise yet. */
  compacted: boolean
  /** The next request's tokens before. */
  tokens_before: number | null
  /** … and after. */
  tokens_after: number | null
  summarised_messages: number
  /** Messages kept verbatim after the summary. */
  kept_messages: number
  /** What the summary call cost. */
  cost_usd: number
}

export interface Project {
  id: number
  name: string
  description: string | null
  workspace: string | null
  status: 'active' | 'paused' | 'completed' | 'archived'
  budget_tokens: number | null
  budget_usd: number | null
  budget_seconds: number | null
  tokens_used: number
  cost_usd: number
  seconds_used: number
  /** ISO-8601 time (UTC) */
  created_at: string
  /** ISO-8601 time (UTC) */
  updated_at: string
  /** Tasks by status (only statuses that occur) */
  task_counts: Record<string, number>
  /** A project run is in progress on this server. */
  running: boolean
  active_project_run_id: string | null
}

export type TaskStatus = 'pending' | 'in_progress' | 'review' | 'done' | 'failed' | 'blocked' | 'cancelled'

export interface Task {
  id: number
  project_id: number
  parent_id: number | null
  title: string
  description: string | null
  acceptance_criteria: string[]
  verify_command: string | null
  status: TaskStatus
  priority: number
  budget_tokens: number | null
  budget_usd: number | null
  tokens_used: number
  cost_usd: number
  result_summary: string | null
  failure_reason: string | null
  depends_on: number[]
  /** ISO-8601 time (UTC) */
  created_at: string
  /** ISO-8601 time (UTC) */
  updated_at: string
  /** ISO-8601 time (UTC) */
  started_at: string | null
  /** ISO-8601 time (UTC) */
  finished_at: string | null
}

export interface TaskGraph {
  nodes: {
    id: number
    title: string
    status: 'pending' | 'in_progress' | 'review' | 'done' | 'failed' | 'blocked' | 'cancelled'
    parent_id: number | null
    depends_on: number[]
  }[]
  edges: {
    /** Done first (for kind parent: the subtask) */
    from: number
    to: number
    kind: 'depends_on' | 'parent'
  }[]
}

export interface PlannedTask {
  key: string
  title: string
  description: string
  acceptance_criteria?: string[]
  depends_on?: string[]
  parent?: string
  priority?: number
  verify_command?: string
}

export interface PlanResult {
  plan: PlannedTask[]
  /** The stored tasks in plan order; empty for a dry run. */
  tasks: Task[]
  attempts: number
  usage: UsageRecord
  cost_usd: number
  duration_ms: number
  dry_run: boolean
}

export interface Memory {
  id: number
  scope: string
  content: string
  tags: string[]
  session_id: string | null
  /** ISO-8601 time (UTC) */
  created_at: string
  /** Search only: bm25 rank, lower is better. */
  rank?: number
  /** Search only: the content with matches marked «like this». */
  snippet?: string
}

export interface ModelInfo {
  /** Provider/model, as accepted by every `model` field. */
  id: string
  provider: string
  context_window: number
  max_output_tokens: number
  /** USD per million input tokens. */
  input_price: number
  /** USD per million output tokens. */
  output_price: number
  /** USD per million input tokens read from the prompt cache. */
  cached_input_price: number | null
  /** USD per million input tokens written to the prompt cache. */
  cache_write_price: number | null
  /** Whether the model takes images. */
  images: boolean
  /** Whether the model reasons (`--reasoning` applies) */
  reasoning: boolean
}

export interface ModelList {
  items: ModelInfo[]
  /** The server's default model, if it has one. */
  default: string | null
}

export interface AgentInfo {
  /** What `agent` fields and `task` calls name it by. */
  name: string
  description: string
  /** Built in, the user's agents folder, or the (trusted) workspace's files. */
  origin: 'builtin' | 'user' | 'workspace'
  /** A workspace agent's file, relative to the workspace (null for the others) */
  file: string | null
  /** The tools it may use as its definition names them; null: all. */
  tools: string[] | null
  /** Its own model; null: the session's. */
  model: string | null
}

export interface AgentList {
  items: AgentInfo[]
  /** The agent a session without one runs as. */
  default: string
  /** Agent files skipped (path, field, why) or ignored (an untrusted workspace) */
  warnings: string[]
}

export interface UsageReport {
  since: string | null
  total: {
    input_tokens: number
    output_tokens: number
    /** Of input_tokens: read from the prompt cache. */
    cache_read_tokens: number
    /** Of input_tokens: written to the prompt cache. */
    cache_write_tokens: number
    cost_usd: number
    /** Project runs (planning and tasks) plus session prompts. */
    runs: number
  }
  by_model: {
    model: string
    input_tokens: number
    output_tokens: number
    /** Of input_tokens: read from the prompt cache. */
    cache_read_tokens: number
    /** Of input_tokens: written to the prompt cache. */
    cache_write_tokens: number
    cost_usd: number
    /** Project runs (planning and tasks) plus session prompts. */
    runs: number
  }[]
  by_project: {
    project_id: number
    name: string
    input_tokens: number
    output_tokens: number
    /** Of input_tokens: read from the prompt cache. */
    cache_read_tokens: number
    /** Of input_tokens: written to the prompt cache. */
    cache_write_tokens: number
    cost_usd: number
    /** Project runs (planning and tasks) plus session prompts. */
    runs: number
  }[]
}

export interface McpServerStatus {
  name: string
  state: 'disabled' | 'starting' | 'connected' | 'failed' | 'closed'
  transport?: 'stdio' | 'http' | 'sse'
  /** Why it failed or ended. */
  error?: string
  /** The config file that names it. */
  source: string
  origin: 'user' | 'workspace'
  server_info?: {
    name: string
    version: string
  }
  /** The tools the model gets (after include / exclude) */
  tools: {
    /** The name the model calls: mcp__<server>__<tool>. */
    name: string
    /** The tool's name on its server. */
    tool: string
    description?: string
  }[]
}

export interface SessionMcp {
  servers: McpServerStatus[]
  /** True while a run of the session has them started. */
  live: boolean
}

export interface RunAccepted {
  run_id: string
}

export interface ProjectRunAccepted {
  project_run_id: string
}

export interface CreateSessionBody {
  /** Absolute, or relative to the server root; must lie under it. */
  workspace: string
  model?: string
  auto_approve?: boolean
  title?: string
  project_id?: number
  /** The agent to run as (see GET /agents): its prompt, tools, permissions and model; unknown → 422 listing the workspace's agents. */
  agent?: string
}

export interface ForkSessionBody {
  checkpoint_id?: number
}

export interface RestoreCheckpointBody {
  /** Keep only the first N messages of the checkpoint's conversation (undoing a whole turn: the messages before its prompt); the undo checkpoint still holds all of it. */
  keep_messages?: number
}

export interface PermissionReplyBody {
  reply: 'once' | 'always' | 'reject'
  message?: string
}

export interface CreateProjectBody {
  name: string
  description?: string | null
  /** Absolute, or relative to the server root; must be a directory under it. */
  workspace?: string
  budget_tokens?: number | null
  budget_usd?: number | null
  budget_seconds?: number | null
}

export interface UpdateProjectBody {
  name?: string
  description?: string | null
  /** Absolute, or relative to the server root; must be a directory under it. */
  workspace?: string | null
  status?: 'active' | 'paused' | 'completed' | 'archived'
  budget_tokens?: number | null
  budget_usd?: number | null
  budget_seconds?: number | null
}

export interface CreateTaskBody {
  title: string
  description?: string | null
  acceptance_criteria?: string[]
  verify_command?: string | null
  /** Higher runs first among ready tasks. */
  priority?: number
  budget_tokens?: number | null
  budget_usd?: number | null
  parent_id?: number | null
  depends_on?: number[]
}

export interface UpdateTaskBody {
  title?: string
  description?: string | null
  acceptance_criteria?: string[]
  verify_command?: string | null
  /** Higher runs first among ready tasks. */
  priority?: number
  budget_tokens?: number | null
  budget_usd?: number | null
  parent_id?: number | null
  result_summary?: string | null
}

export interface TransitionTaskBody {
  to: TaskStatus
  /** Stored as result_summary. */
  summary?: string | null
  /** Stored as failure_reason. */
  reason?: string | null
}

export interface PlanProjectBody {
  /** The specification, in natural language. */
  spec: string
  dry_run?: boolean
  /** Provider/model; defaults to the server's. */
  model?: string
}

export interface RunProjectBody {
  /** Tasks without a verify command go to done instead of review. */
  auto_approve?: boolean
  max_tasks?: number
  model?: string
  /** Run up to this many ready tasks at once, each in its own git worktree on penguin/task-<id>, merged back when verified (default: the config's projects.parallel, else one at a time in the workspace) */
  parallel?: number
  /** Roles each task goes through, in order plan, build, test, review (build always; default: the config's projects.roles, else build) */
  roles?: ('plan' | 'build' | 'test' | 'review')[]
}

export interface CreateMemoryBody {
  scope: string
  content: string
  tags?: string[]
  session_id?: string
}
