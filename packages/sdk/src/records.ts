/**
 * The records of docs/api.md, as the server sends them: snake_case keys, ISO-8601 timestamps,
 * string ids for sessions, engine runs and permissions, integer ids for everything else.
 */
import type { RunOutcomeStatus } from './events.js'
import type { PermissionPreview, ToolDetails } from './tool-details.js'

/** Token counts in records (snake_case, unlike the engine events' `TokenUsage`). */
export interface UsageRecord {
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the provider's prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the provider's prompt cache. */
  cache_write_tokens: number
  /** The same as `cache_read_tokens` (the name earlier releases used). */
  cached_input_tokens: number
  total_tokens: number
}

export interface Session {
  id: string
  title: string | null
  /** Absolute path of the workspace on the server's machine. */
  workspace: string
  model: string | null
  project_id: number | null
  parent_id: string | null
  forked_from_checkpoint_id: number | null
  /** A sub-agent's session: the session whose `task` call started it (`sessions.children(id)`). */
  parent_session_id: string | null
  /**
   * The agent the session runs as: a sub-agent's, or the one picked with `agent` when it was
   * created or a message switched it; null: the default agent (`build`).
   */
  agent: string | null
  message_count: number
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the provider's prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the provider's prompt cache. */
  cache_write_tokens: number
  cost_usd: number
  auto_approve: boolean
  /** The engine run in progress on this session, if any. */
  active_run_id: string | null
  created_at: string
  updated_at: string
}

/** An image, inline: `data` is the file's bytes in base64. */
export interface ImagePart {
  type: 'image'
  media_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
  data: string
}

/**
 * The model's reasoning. `text` is readable (empty when the provider hid it); the other fields are
 * the provider's opaque state (Anthropic's `signature` / `redacted` thinking, OpenAI's reasoning
 * item `id`, `summary` and `encrypted` content), which the server sends back to that provider unchanged.
 */
export interface ReasoningPart {
  type: 'reasoning'
  text: string
  /** The wire it came from, e.g. `anthropic-messages` or `openai-responses`. */
  api?: string
  signature?: string
  redacted?: string
  id?: string
  summary?: string[]
  encrypted?: string
}

export type Part =
  | { type: 'text'; text: string }
  | ImagePart
  | ReasoningPart
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | {
      type: 'tool_result'
      tool_call_id: string
      name: string
      /** The result's text. */
      content: string
      is_error: boolean
      /** Images the tool returned, after the text. */
      images?: ImagePart[]
      /** What the call did, for rendering history like a live run (absent for results stored before details existed). */
      details?: ToolDetails
    }
  | { type: 'summary'; text: string; kept_messages?: number }

export type MessageRole = 'user' | 'assistant' | 'tool'

export interface Message {
  id: number
  session_id: string
  role: MessageRole
  parts: Part[]
  model: string | null
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the provider's prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the provider's prompt cache. */
  cache_write_tokens: number
  cost_usd: number
  created_at: string
}

export type RunStatus = 'running' | RunOutcomeStatus

/** An engine run on a session. */
export interface Run {
  id: string
  session_id: string
  status: RunStatus
  started_at: string
  finished_at: string | null
  /** The assistant's last text (empty while running). */
  text: string
  /** Running totals while the run goes on, then the run's usage. */
  usage: UsageRecord
  cost_usd: number
  error: { kind: string; message: string } | null
}

/** A pending permission ask of a running session. */
export interface Permission {
  id: string
  session_id: string
  run_id: string
  call_id: string
  tool: string
  access: 'read' | 'write' | 'execute'
  subject: string
  args: unknown
  /** Exactly what the call will do: render this. */
  preview: PermissionPreview
  /** Why only an explicit answer allows it (a write inside `.git/` or `.penguin/`). */
  reason?: string
  /** Set when a sub-agent asks through this session's run: the agent's name. */
  agent?: string
  /** The asking sub-agent's own session (a child of `session_id`). */
  subagent_session_id?: string
  asked_at: string
}

export type CheckpointKind = 'turn' | 'pre_restore' | 'manual'

export interface Checkpoint {
  id: number
  session_id: string
  kind: CheckpointKind
  /** The workspace snapshot's commit in the shadow repository; null when nothing was snapshotted. */
  commit: string | null
  message_count: number
  /** The conversation when it was taken: inclusive ranges of the session's message ids. */
  message_ranges: Array<[number, number]>
  label: string | null
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
  /** A unified diff of the workspace since the checkpoint. */
  patch: string
}

export interface CheckpointRestore {
  checkpoint: Checkpoint
  /** Messages in the conversation after the restore. */
  message_count: number
  /** A checkpoint of the state before the restore: restoring it undoes this one. */
  undo_checkpoint_id: number
  changes: FileChange[]
}

/** `POST /sessions/{id}/compact`: what summarising the older turns did. */
export interface CompactResult {
  /** false: nothing older than the recent turns to summarise yet (the other fields are then empty). */
  compacted: boolean
  tokens_before: number | null
  tokens_after: number | null
  summarised_messages: number
  kept_messages: number
  cost_usd: number
}

export type ProjectStatus = 'active' | 'paused' | 'completed' | 'archived'

export interface Project {
  id: number
  name: string
  description: string | null
  workspace: string | null
  status: ProjectStatus
  budget_tokens: number | null
  budget_usd: number | null
  budget_seconds: number | null
  tokens_used: number
  cost_usd: number
  seconds_used: number
  created_at: string
  updated_at: string
  /** Tasks by status (only the statuses that occur). */
  task_counts?: Partial<Record<TaskStatus, number>>
  /** A project run is in progress on this server. */
  running?: boolean
  active_project_run_id?: string | null
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
  created_at: string
  updated_at: string
  started_at: string | null
  finished_at: string | null
}

/** `GET /api/v1/projects/{id}/graph` in JSON. */
export interface TaskGraph {
  nodes: Array<Record<string, unknown> & { id: number }>
  edges: Array<Record<string, unknown> & { from: number; to: number }>
}

/** One task of a plan as the model stated it (`key`s name each other). */
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

/** `POST /api/v1/projects/{id}/plan`. */
export interface PlanResult {
  plan: PlannedTask[]
  /** The stored tasks, in plan order; empty for a dry run. */
  tasks: Task[]
  attempts: number
  usage: UsageRecord
  cost_usd: number
  duration_ms: number
  dry_run: boolean
}

export interface Memory {
  id: number
  /** `project:<id>` or `workspace:<absolute path>`. */
  scope: string
  content: string
  tags: string[]
  session_id: string | null
  created_at: string
  /** Search results only: FTS5 rank (lower is better) and the content around the matches. */
  rank?: number
  snippet?: string
}

export interface ModelInfo {
  id: string
  provider: string
  context_window: number
  max_output_tokens: number
  /** USD per million tokens. */
  input_price: number
  output_price: number
  /** USD per million input tokens read from / written to the prompt cache. */
  cached_input_price?: number | null
  cache_write_price?: number | null
  /** Whether the model takes images, and whether it reasons (`reasoning` applies). */
  images?: boolean
  reasoning?: boolean
}

export interface ModelList {
  items: ModelInfo[]
  /** The model sessions get when they name none. */
  default: string | null
}

/** An agent a session can run as (and a `task` call can start), from `GET /agents`. */
export interface AgentInfo {
  name: string
  description: string
  /** Built in, the server user's agents folder, or the (trusted) workspace's agent files. */
  origin: 'builtin' | 'user' | 'workspace'
  /** A workspace agent's file, relative to the workspace; null for the others. */
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
  /** Agent files skipped (path, field, why) or ignored (an untrusted workspace). */
  warnings: string[]
}

export interface UsageTotals {
  input_tokens: number
  output_tokens: number
  /** Of input_tokens: read from the provider's prompt cache. */
  cache_read_tokens: number
  /** Of input_tokens: written to the provider's prompt cache. */
  cache_write_tokens: number
  cost_usd: number
  runs: number
}

export interface UsageReport {
  /** The `since` asked for, if any. */
  since: string | null
  total: UsageTotals
  by_model: Array<UsageTotals & { model: string }>
  by_project: Array<UsageTotals & { project_id: number; name: string }>
}

export interface ItemList<T> {
  items: T[]
  next_cursor?: string | null
}

/** One MCP server of a session (`GET /sessions/{id}/mcp`). */
export interface McpServerStatus {
  name: string
  state: 'disabled' | 'starting' | 'connected' | 'failed' | 'closed'
  transport?: 'stdio' | 'http' | 'sse'
  /** Why it failed or ended. */
  error?: string
  /** The config file that names it. */
  source: string
  origin: 'user' | 'workspace'
  server_info?: { name: string; version: string }
  /** The tools the model gets: `name` is what it calls (`mcp__<server>__<tool>`). */
  tools: { name: string; tool: string; description?: string }[]
}

export interface SessionMcp {
  servers: McpServerStatus[]
  /** True while a run of the session has them started. */
  live: boolean
}
