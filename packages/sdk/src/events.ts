/**
 * The events of `GET /api/v1/events` and `GET /api/v1/sessions/{id}/events`. Session events are the
 * engine's events exactly as it emits them (camelCase keys) plus `session_id`; these declarations
 * mirror `EngineEvent` of `@penguin-ai/engine` (a type test keeps them identical) so this package
 * stays free of dependencies; tool details and permission previews likewise (./tool-details.ts).
 */
import type { PermissionPreview, ToolDetails } from './tool-details.js'

/** Token counts as the engine reports them. */
export interface TokenUsage {
  /** All input tokens: fresh, read from the prompt cache and written to it. */
  inputTokens: number
  outputTokens: number
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cacheReadTokens: number
  /** Input tokens written to the provider's prompt cache (part of inputTokens). */
  cacheWriteTokens: number
  /** The same as `cacheReadTokens` (the name earlier releases used). */
  cachedInputTokens: number
  totalTokens: number
}

/** How an engine run ended. */
export type RunOutcomeStatus = 'completed' | 'failed' | 'aborted' | 'max_iterations' | 'budget_exceeded'

export type PermissionReply = 'once' | 'always' | 'reject'

export interface PermissionRequest {
  id: string
  callId: string
  tool: string
  access: 'read' | 'write' | 'execute'
  subject: string
  /** The parsed arguments of the call. */
  args: unknown
  /**
   * Set when only an explicit answer to this very call can allow it (a write inside `.git/` or
   * `.penguin/`): says why. Auto approval does not answer it, and "always" counts as "once".
   */
  reason?: string
  /** Exactly what the call will do (whole command, every file with its operation, real paths, diffs). */
  preview: PermissionPreview
  /**
   * Set when the question is whether to re-run a call the sandbox refused outside it, with the
   * user's full rights (`reason` says what was refused). Only an explicit yes counts.
   */
  outsideSandbox?: boolean
  /** Set when a sub-agent asks (through its parent): the agent, to label the question with. */
  agent?: string
  /** The sub-agent's session, when a sub-agent asks. */
  sessionId?: string
}

/** The payload of `run.finished`: what `client.sessions.run()` returns. */
export interface RunResult {
  status: RunOutcomeStatus
  /** The assistant's last text. */
  text: string
  usage: TokenUsage
  /** USD, from the model catalogue. */
  cost: number
  iterations: number
  durationMs: number
  /** Present when status is `failed`. */
  error?: { kind: string; message: string }
}

export type CompactionReason = 'threshold' | 'manual' | 'overflow'

export interface ContextCompaction {
  reason: CompactionReason
  tokensBefore: number
  tokensAfter: number
  summary: string
  keptMessages: number
  /** Older tool outputs replaced by a one-line note (pruned) in this compaction. */
  prunedOutputs: number
  /** Newest tool results (not yet read by the model) cut to head and tail because they alone did not fit. */
  truncatedOutputs: number
  /** Messages the summary now stands for. */
  summarisedMessages: number
}

/** One engine event: every one carries the run id and a millisecond timestamp. */
export type EngineEvent = {
  runId: string
  time: number
  /** The session the event belongs to (the stored session's id, or the engine's own). */
  sessionId?: string
  /** Set on a sub-agent's events: the session that started it with `task`. */
  parentSessionId?: string
} & (
  | {
      type: 'run.started'
      model: string
      workspace: string
      prompt: string
      /** How commands run: `off`, or the sandbox's mode and network (`workspace-write, network off`). */
      sandbox?: string
    }
  | { type: 'turn.started'; iteration: number }
  | { type: 'text.delta'; delta: string }
  /** The model's readable reasoning as it streams (not part of the answer). */
  | { type: 'reasoning.delta'; delta: string }
  | { type: 'turn.retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'tool.started'; callId: string; tool: string; args: unknown; title: string }
  /**
   * Live output of a call still running (a command's stdout and stderr as they come), for UIs to
   * show a tail. `tool.finished` still carries the whole result; nothing stores these.
   */
  | { type: 'tool.output'; callId: string; tool: string; text: string }
  | {
      type: 'tool.finished'
      callId: string
      tool: string
      isError: boolean
      output: string
      /** What UIs render: `kind`, a one-line `summary`, the kind's fields. */
      details: ToolDetails
      durationMs: number
    }
  | ({ type: 'permission.asked' } & PermissionRequest)
  | {
      type: 'permission.answered'
      id: string
      callId: string
      tool: string
      reply: PermissionReply
      auto: boolean
    }
  | { type: 'usage'; usage: TokenUsage; total: TokenUsage; cost: number; totalCost: number }
  /**
   * A message sent while the run was in progress (`sendMessage` with `delivery`) is now in the
   * conversation: `steer` before the next model request, `follow_up` when the model would have stopped.
   */
  | { type: 'message.delivered'; delivery: 'steer' | 'follow_up'; text: string }
  /** For the user, not the model: a hook that failed, an MCP server that could not start or died. */
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; source: string; message: string }
  | ({ type: 'context.compacted' } & ContextCompaction)
  | ({ type: 'run.finished' } & RunResult)
  /**
   * An event of a sub-agent started by a `task` call (or of its own sub-agent): `event` is the
   * child's event (with its `sessionId` and `parentSessionId`), `callId` the `task` call, `agent` the
   * child's agent, `depth` 1 for a child and 2 below. A child's `run.finished` is not the parent's;
   * its streamed text, reasoning and live command output are not passed up.
   */
  | { type: 'subagent.event'; callId: string; agent: string; depth: number; event: EngineEvent }
)

export type EngineEventType = EngineEvent['type']

/**
 * An engine event as streamed: the engine's event unchanged, plus the session it belongs to and
 * (a snake_case copy of `runId`) `run_id`.
 */
export type SessionEvent = EngineEvent & { session_id: string; run_id: string }

export type ProjectEventType =
  | 'project.started'
  | 'task.started'
  | 'task.role'
  | 'task.split'
  | 'task.verifying'
  | 'task.merged'
  | 'task.finished'
  | 'project.finished'

/**
 * Progress of `POST /api/v1/projects/{id}/run`, on `GET /api/v1/events`: the project runner's event
 * in snake_case (`task`, `index`, `total`, `status`, …) with `project_id` and `project_run_id`. The
 * server leaves `type` out of these payloads; the SDK sets it to the event type. (The task agents'
 * engine events arrive as session events, with `project_id`, `task_id` and `project_run_id` too.)
 */
export type ProjectEvent = {
  [K in ProjectEventType]: { type: K; project_id: number; project_run_id: string; [key: string]: unknown }
}[ProjectEventType]

/**
 * Sent instead of a replay when a stream resumes from an id whose successors the server no longer
 * keeps (its replay buffer is bounded) or never issued (it restarted): reload what you show (a
 * session's `GET /sessions/{id}/messages`) and carry on with the live events that follow.
 */
export interface ResyncEvent {
  type: 'resync'
  /** Present on a session's stream. */
  session_id?: string
  /** The id the stream resumed from. */
  last_event_id: number
  reason: string
}

export type ChangeEventType =
  | 'project.created'
  | 'project.updated'
  | 'project.deleted'
  | 'task.created'
  | 'task.updated'
  | 'task.status_changed'
  | 'task.deleted'
  | 'dependency.added'
  | 'dependency.removed'

/**
 * A change to a project or its tasks, made by any client of any server, on `GET /api/v1/events`:
 * `change_id` is its id in the project's event log, then the record as the API shows it (`project`,
 * or `task` with `from`/`to` for a status change, or `depends_on`). The SDK sets `type`.
 */
export type ChangeEvent = {
  [K in ChangeEventType]: {
    type: K
    change_id: number
    project_id: number
    task_id?: number
    [key: string]: unknown
  }
}[ChangeEventType]

export type EventData = SessionEvent | ProjectEvent | ChangeEvent | ResyncEvent

/**
 * One Server-Sent Event: `id` is the server-wide increasing event id (resume with it as
 * `lastEventId`), `event` the type (the same as `data.type`), `data` the parsed payload.
 */
export type ServerEvent = {
  [K in EventData['type']]: { id: number; event: K; data: Extract<EventData, { type: K }> }
}[EventData['type']]
