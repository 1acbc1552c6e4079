// GENERATED from @penguin-ai/protocol's zod schemas by test/generated-types.test.ts — do not edit.
// Records are what the server sends (z.output), bodies what it accepts (z.input); snake_case keys.
// Regenerate: UPDATE_README=1 pnpm --filter @penguin-ai/sdk exec vitest run test/generated-types.test.ts

export interface Todo {
  /** What to do, imperative. */
  content: string
  status: 'pending' | 'in_progress' | 'completed'
  id?: string
}

export type FileOperation = 'add' | 'modify' | 'delete' | 'rename'

export interface ToolFileChange {
  /** Where the change lands, after symlinks are resolved: workspace-relative, or absolute outside the workspace. */
  path: string
  operation: FileOperation
  /** A renamed file's old path (resolved like `path`) */
  from?: string
  /** Lines added. */
  added: number
  /** Lines removed. */
  removed: number
  /** Unified diff of the change; absent when too large to compute. */
  diff?: string
  /** The absolute real path written. */
  realPath?: string
  /** The path exactly as the model wrote it, present only when it differs from `path`. */
  requested?: string
}

export type McpContent =
  | {
      type: 'text'
      text: string
    }
  | {
      type: 'image'
      mimeType: string
      /** Base64, when small enough to keep. */
      data?: string
    }
  | {
      type: 'audio'
      mimeType: string
    }
  | {
      type: 'resource'
      uri: string
      mimeType?: string
      text?: string
    }

export type DenialReason = 'rule' | 'user' | 'non_interactive' | 'protected' | 'hook'

export interface FileReadDetails {
  kind: 'file-read'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  path: string
  startLine?: number
  endLine?: number
  /** Absent when the file was too large to count. */
  totalLines?: number
  binary?: boolean
}

export interface FileEditDetails {
  kind: 'file-edit'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  files: ToolFileChange[]
}

export interface CommandSandbox {
  mode: 'read-only' | 'workspace-write'
  /** False: none; true: the host network; a list: the domains reachable through the proxy. */
  network: boolean | string[]
  /** Set when the output shows the sandbox refused the command something. */
  refused?: {
    kinds: ('write' | 'read' | 'network' | 'start')[]
    /** What was refused, with the output line that shows it. */
    summary: string
  }
}

export interface CommandDetails {
  kind: 'command'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  command: string
  /** Workspace-relative working directory. */
  cwd: string
  /** Null when killed by a signal, timed out or never started. */
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  aborted: boolean
  durationMs: number
  /** Head and tail, up to 256 KB. */
  stdout: string
  /** Head and tail, up to 256 KB. */
  stderr: string
  startError?: string
  /** Set when the command ran in the OS sandbox. */
  sandbox?: CommandSandbox
  /** Set when the sandbox refused it and it was re-run outside, at the user's request. */
  outsideSandbox?: boolean
}

export interface SearchDetails {
  kind: 'search'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** The pattern, glob or words searched for ("" for a plain listing) */
  query: string
  /** Where: workspace-relative. */
  path?: string
  /** Matches, entries or results found. */
  matches: number
  truncated: boolean
}

export interface TodoDetails {
  kind: 'todo'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  todos: Todo[]
}

export interface McpDetails {
  kind: 'mcp'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  server: string
  /** The tool's name on its server. */
  tool: string
  content: McpContent[]
}

export interface DeniedDetails {
  kind: 'denied'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  denied: DenialReason
  access: 'read' | 'write' | 'execute'
  /** The permission subject: a path, a command line. */
  subject: string
}

export interface GenericDetails {
  kind: 'generic'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** Anything else the tool wants UIs to have. */
  data?: Record<string, unknown>
}

export type ToolDetails =
  | FileReadDetails
  | FileEditDetails
  | CommandDetails
  | SearchDetails
  | TodoDetails
  | McpDetails
  | DeniedDetails
  | GenericDetails

export interface CommandPreview {
  kind: 'command'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** The whole command line, exactly as it will run. */
  command: string
  /** Workspace-relative working directory. */
  cwd: string
  /** Its absolute real path. */
  realCwd: string
  timeoutMs?: number
}

export interface FileEditPreview {
  kind: 'file-edit'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** Every file the call touches, each with its operation and diff. */
  files: ToolFileChange[]
}

export interface FileReadPreview {
  kind: 'file-read'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** Workspace-relative, after symlinks are resolved. */
  path: string
  realPath: string
  /** The path as the model wrote it, when it differs from `path`. */
  requested?: string
}

export interface SearchPreview {
  kind: 'search'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  query: string
  /** Workspace-relative, after symlinks are resolved. */
  path: string
  realPath: string
}

export interface McpPreview {
  kind: 'mcp'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  server: string
  tool: string
  args: unknown
}

export interface GenericPreview {
  kind: 'generic'
  /** One line saying what the call did (or will do): a tool line, a card header. No newlines. */
  summary: string
  /** The arguments of the call, as the model sent them. */
  args: unknown
}

export type PermissionPreview =
  | CommandPreview
  | FileEditPreview
  | FileReadPreview
  | SearchPreview
  | McpPreview
  | GenericPreview

/** Token counts as the engine reports them. */
export interface TokenUsage {
  /** All input tokens: fresh, read from the prompt cache and written to it. */
  inputTokens: number
  outputTokens: number
  /** Input tokens read from the provider's prompt cache (part of inputTokens) */
  cacheReadTokens: number
  /** Input tokens written to the provider's prompt cache (part of inputTokens; Anthropic bills them at 1.25×) */
  cacheWriteTokens: number
  /** The same as `cacheReadTokens` (the name earlier releases used) */
  cachedInputTokens: number
  totalTokens: number
}

/** How an engine run ended. */
export type RunOutcomeStatus = 'completed' | 'failed' | 'aborted' | 'max_iterations' | 'budget_exceeded'

export type PermissionReply = 'once' | 'always' | 'reject'

export type NoticeLevel = 'info' | 'warning' | 'error'

/** How a message sent during a run reaches the model: `steer` before the next model request, `follow_up` when the model would have stopped. */
export type Delivery = 'steer' | 'follow_up'

export interface PermissionRequest {
  id: string
  callId: string
  tool: string
  access: 'read' | 'write' | 'execute'
  subject: string
  /** The parsed arguments of the call. */
  args: unknown
  /** Set when only an explicit answer to this very call can allow it (a write inside `.git/` or `.penguin/`): says why. `--yes` and auto approval do not answer it, and "always" counts as "once". */
  reason?: string
  /** Exactly what the call will do, to show the person answering: the whole command, every file with its operation, resolved real path and diff. Render this, not `args` or `subject`. */
  preview: PermissionPreview
  /** Set when the question is whether to re-run a call the sandbox refused outside it, with the user's full rights (`reason` says what was refused). Only an explicit yes to it counts. */
  outsideSandbox?: boolean
  /** Set when a sub-agent asks (through its parent): the agent, to label the question with. */
  agent?: string
  /** The sub-agent's session, when a sub-agent asks. */
  sessionId?: string
}

/** The payload of `run.finished`: what `client.sessions.run()` returns. */
export interface RunResult {
  /** How an engine run ended. */
  status: RunOutcomeStatus
  /** The assistant's last text. */
  text: string
  /** Token counts as the engine reports them. */
  usage: TokenUsage
  /** USD, from the model catalogue. */
  cost: number
  iterations: number
  durationMs: number
  /** Present when status is `failed`: what went wrong, in words for the user. */
  error?: {
    kind: string
    message: string
  }
}

/** Why the conversation was compacted: it passed the threshold, `/compact`, or the provider said it was too long. */
export type CompactionReason = 'threshold' | 'manual' | 'overflow'

/** The payload of `context.compacted`: the request was cut down to fit (older turns summarised, older tool outputs pruned, or the newest results truncated). Not sent when the conversation was left unchanged. */
export interface ContextCompaction {
  /** Why the conversation was compacted: it passed the threshold, `/compact`, or the provider said it was too long. */
  reason: CompactionReason
  /** The request's tokens (system prompt, history, tool schemas) before the compaction. */
  tokensBefore: number
  /** The request's tokens after it. */
  tokensAfter: number
  /** The summary that now stands for the older turns (the text after the summary marker). Absent when nothing was summarised: the request was cut down only by pruning older tool outputs and/or truncating the newest results, in place. */
  summary?: string
  /** How many messages of the conversation were kept: with a `summary`, the history is now `[summary message, ...previous.slice(-keptMessages)]`; without one, every message was kept (the conversation's length). Kept messages' old tool outputs may be elided, and the newest turn's results truncated, as counted below. */
  keptMessages: number
  /** Older tool outputs this compaction replaced by a one-line note (pruning), before summarising. */
  prunedOutputs: number
  /** Tool results of the newest turn, which the model has not read yet, cut to their head and tail (with a note) because they alone did not fit the window. They are never summarised. */
  truncatedOutputs: number
  /** Messages the summary now stands for (summarised, or dropped when the summariser failed) */
  summarisedMessages: number
}

/** One engine event: every one carries the run id and a millisecond timestamp. */
export type EngineEvent =
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'run.started'
      model: string
      workspace: string
      prompt: string
      /** How commands run: `off`, or the sandbox's mode and network (`workspace-write, network off`) */
      sandbox?: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'turn.started'
      iteration: number
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'text.delta'
      delta: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'reasoning.delta'
      /** The model's readable reasoning as it streams (shown dimmed or collapsed; never the answer) */
      delta: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'turn.retry'
      attempt: number
      delayMs: number
      /** The model stream failed mid-turn and is being retried: partial text of this turn is void. */
      reason: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'tool.started'
      callId: string
      tool: string
      args: unknown
      /** One line naming what the call is about (a path, a command), from the tool. */
      title: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'tool.output'
      callId: string
      tool: string
      /** Live output of a call still running (a command's stdout and stderr as they come), for UIs to show a tail. `tool.finished` still carries the whole result; nothing stores these. */
      text: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'tool.finished'
      callId: string
      tool: string
      isError: boolean
      /** What the model reads. */
      output: string
      /** What UIs render: a `kind`, a one-line `summary` and the kind's fields. Never sent to the model. */
      details: ToolDetails
      durationMs: number
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The sub-agent's session, when a sub-agent asks. */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'permission.asked'
      id: string
      callId: string
      tool: string
      access: 'read' | 'write' | 'execute'
      subject: string
      /** The parsed arguments of the call. */
      args: unknown
      /** Set when only an explicit answer to this very call can allow it (a write inside `.git/` or `.penguin/`): says why. `--yes` and auto approval do not answer it, and "always" counts as "once". */
      reason?: string
      /** Exactly what the call will do, to show the person answering: the whole command, every file with its operation, resolved real path and diff. Render this, not `args` or `subject`. */
      preview: PermissionPreview
      /** Set when the question is whether to re-run a call the sandbox refused outside it, with the user's full rights (`reason` says what was refused). Only an explicit yes to it counts. */
      outsideSandbox?: boolean
      /** Set when a sub-agent asks (through its parent): the agent, to label the question with. */
      agent?: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'permission.answered'
      id: string
      callId: string
      tool: string
      reply: PermissionReply
      auto: boolean
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'usage'
      /** Token counts as the engine reports them. */
      usage: TokenUsage
      /** Token counts as the engine reports them. */
      total: TokenUsage
      cost: number
      totalCost: number
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'message.delivered'
      /** How a message sent during a run reaches the model: `steer` before the next model request, `follow_up` when the model would have stopped. */
      delivery: Delivery
      /** A message the user sent while the run was in progress, now in the conversation as a user turn the next request carries: `steer` (taken before the next request, after the tool results of the turn in progress) or `follow_up` (taken when the model would have stopped) */
      text: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'notice'
      level: NoticeLevel
      /** The extension (hook, MCP server, plugin) or part of Penguin it is about. */
      source: string
      /** Something the user should know that is not the model's answer: a hook that failed, an MCP server that could not start or died, a plugin that threw. */
      message: string
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'context.compacted'
      /** Why the conversation was compacted: it passed the threshold, `/compact`, or the provider said it was too long. */
      reason: CompactionReason
      /** The request's tokens (system prompt, history, tool schemas) before the compaction. */
      tokensBefore: number
      /** The request's tokens after it. */
      tokensAfter: number
      /** The summary that now stands for the older turns (the text after the summary marker). Absent when nothing was summarised: the request was cut down only by pruning older tool outputs and/or truncating the newest results, in place. */
      summary?: string
      /** How many messages of the conversation were kept: with a `summary`, the history is now `[summary message, ...previous.slice(-keptMessages)]`; without one, every message was kept (the conversation's length). Kept messages' old tool outputs may be elided, and the newest turn's results truncated, as counted below. */
      keptMessages: number
      /** Older tool outputs this compaction replaced by a one-line note (pruning), before summarising. */
      prunedOutputs: number
      /** Tool results of the newest turn, which the model has not read yet, cut to their head and tail (with a note) because they alone did not fit the window. They are never summarised. */
      truncatedOutputs: number
      /** Messages the summary now stands for (summarised, or dropped when the summariser failed) */
      summarisedMessages: number
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'run.finished'
      /** How an engine run ended. */
      status: RunOutcomeStatus
      /** The assistant's last text. */
      text: string
      /** Token counts as the engine reports them. */
      usage: TokenUsage
      /** USD, from the model catalogue. */
      cost: number
      iterations: number
      durationMs: number
      /** Present when status is `failed`: what went wrong, in words for the user. */
      error?: {
        kind: string
        message: string
      }
    }
  | {
      runId: string
      /** Milliseconds since the epoch. */
      time: number
      /** The session the event belongs to (the stored session's id, or the engine's own) */
      sessionId?: string
      /** Set on a sub-agent's events: the session that started it with `task`. */
      parentSessionId?: string
      type: 'subagent.event'
      /** The `task` call that started the sub-agent. */
      callId: string
      /** The child's agent. */
      agent: string
      /** 1 for a child, 2 below that. */
      depth: number
      event: EngineEvent & {
        /** The sub-agent's session (the event's `sessionId` again) */
        session_id?: string
        /** The session whose `task` call started the sub-agent (the event's `parentSessionId` again) */
        parent_session_id?: string
      }
    }

/** An engine event as streamed: the engine's event unchanged, plus the session it belongs to and (a snake_case copy of `runId`) `run_id`. */
export type SessionEvent = EngineEvent & {
  session_id: string
  /** A snake_case copy of `runId`. */
  run_id: string
  /** Set on the events of a project run's task agents. */
  project_id?: number
  /** Set on the events of a project run's task agents. */
  task_id?: number
  /** Set on the events of a project run's task agents. */
  project_run_id?: string
}

/** Progress of `POST /api/v1/projects/{id}/run`: the project runner's event in snake_case (`task`, `index`, `total`, `status`, …) with `project_id` and `project_run_id`. The server leaves `type` out of these payloads; the SDK sets it to the event type. (The task agents' engine events arrive as session events, with `project_id`, `task_id` and `project_run_id` too.) */
export type ProjectEvent =
  | {
      type: 'project.started'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.started'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.role'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.split'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.verifying'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.merged'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'task.finished'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }
  | {
      type: 'project.finished'
      project_id: number
      project_run_id: string
      [key: string]: unknown
    }

/** A project run's notice for the user (settings an untrusted workspace could not change): like an engine `notice`, with no run or session. */
export interface ProjectNotice {
  type: 'notice'
  level: NoticeLevel
  source: string
  message: string
  time: number
  project_id: number
  project_run_id: string
}

/** A change to a project or its tasks, made by any client of any server: `change_id` is its id in the project's event log, then the record as the API shows it (`project`, or `task` with `from`/`to` for a status change, or `depends_on`). The SDK sets `type`. */
export type ChangeEvent =
  | {
      type: 'project.created'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'project.updated'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'project.deleted'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'task.created'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'task.updated'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'task.status_changed'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'task.deleted'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'dependency.added'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }
  | {
      type: 'dependency.removed'
      change_id: number
      project_id: number
      task_id?: number
      [key: string]: unknown
    }

/** Sent instead of a replay when a stream resumes from an id whose successors the server no longer keeps (its replay buffer is bounded) or never issued (it restarted): reload what you show (a session's `GET /sessions/{id}/messages`) and carry on with the live events that follow. */
export interface ResyncEvent {
  type: 'resync'
  /** Present on a session's stream. */
  session_id?: string
  /** The id the stream resumed from. */
  last_event_id: number
  reason: string
}

export type EventData = SessionEvent | ProjectEvent | ProjectNotice | ChangeEvent | ResyncEvent

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
  /** The run that takes the message. */
  run_id: string
  /** How: `prompt` = it started this run; `steer` / `follow_up` = it was given to the run in progress (`message.delivered` says when the model got it) */
  delivery: 'prompt' | 'steer' | 'follow_up'
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
