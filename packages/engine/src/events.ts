import type { ToolCall, Usage } from '@penguin-ai/llm'
import type { DenialReason, PermissionPreview, ToolDetails } from '@penguin-ai/tools'
import type { NoticeLevel } from './extensions.js'
import type { Delivery } from './inbox.js'

/** How a run ended. */
export type RunStatus = 'completed' | 'failed' | 'aborted' | 'max_iterations' | 'budget_exceeded'

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
   * `.penguin/`): says why. `--yes` and auto approval do not answer it, and "always" counts as "once".
   */
  reason?: string
  /**
   * Exactly what the call will do, to show the person answering: the whole command, every file
   * with its operation, resolved real path and diff. Render this, not `args` or `subject`.
   */
  preview: PermissionPreview
  /**
   * Set when the question is whether to re-run a call the sandbox refused outside it, with the
   * user's full rights (`reason` says what was refused). Only an explicit yes to it counts.
   */
  outsideSandbox?: boolean
  /** Set when a sub-agent asks (through its parent): the agent, to label the question with. */
  agent?: string
  /** The sub-agent's session, when a sub-agent asks. */
  sessionId?: string
}

/**
 * Why a call was refused, in `tool.finished` details of kind `denied` (`details.denied`, with
 * `details.access` and `details.subject`): a deny rule, the user's "no", a non-interactive run that
 * could not ask, a write inside `.git/` / `.penguin/` that could not be asked about, or an extension
 * (a hook, a plugin) that refused it.
 */
export type { DenialReason }

export interface RunResult {
  status: RunStatus
  /** The assistant's last text. */
  text: string
  usage: Usage
  /** USD, from the model catalogue. */
  cost: number
  iterations: number
  durationMs: number
  /** Present when status is `failed`: what went wrong, in words for the user. */
  error?: { kind: string; message: string }
}

/** Why the conversation was compacted: it passed the threshold, `/compact`, or the provider said it was too long. */
export type CompactionReason = 'threshold' | 'manual' | 'overflow'

/** The payload of `context.compacted`. */
export interface ContextCompaction {
  reason: CompactionReason
  /** The request's tokens (system prompt, history, tool schemas) before and after. */
  tokensBefore: number
  tokensAfter: number
  /** The summary that now stands for the older turns (the text after the summary marker). */
  summary: string
  /**
   * How many messages of the conversation were kept after the summary: the history is now
   * `[summary message, ...previous.slice(-keptMessages)]` (their old tool outputs may be elided, and
   * the newest turn's results truncated, as counted below).
   */
  keptMessages: number
  /** Older tool outputs this compaction replaced by a one-line note (pruning), before summarising. */
  prunedOutputs: number
  /**
   * Tool results of the newest turn, which the model has not read yet, cut to their head and tail
   * (with a note) because they alone did not fit the window. They are never summarised.
   */
  truncatedOutputs: number
  /** Messages the summary now stands for (summarised, or dropped when the summariser failed). */
  summarisedMessages: number
}

/**
 * The engine's public event stream. UIs, the server's SSE and `--json` all consume exactly this.
 * Every event carries the run id and a millisecond timestamp.
 */
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
  /** The model's readable reasoning as it streams (shown dimmed or collapsed; never the answer). */
  | { type: 'reasoning.delta'; delta: string }
  /** The model stream failed mid-turn and is being retried: partial text of this turn is void. */
  | { type: 'turn.retry'; attempt: number; delayMs: number; reason: string }
  /** `title`: one line naming what the call is about (a path, a command), from the tool. */
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
      /** What the model reads. */
      output: string
      /** What UIs render: a `kind`, a one-line `summary` and the kind's fields. Never sent to the model. */
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
  | { type: 'usage'; usage: Usage; total: Usage; cost: number; totalCost: number }
  /**
   * A message the user sent while the run was in progress is now in the conversation, as a user
   * turn the next request carries: `steer` (taken before the next request, after the tool results
   * of the turn in progress) or `follow_up` (taken when the model would have stopped).
   */
  | { type: 'message.delivered'; delivery: Delivery; text: string }
  /**
   * Something the user should know that is not the model's answer: a hook that failed, an MCP server
   * that could not start or died, a plugin that threw. `source` names the extension.
   */
  | { type: 'notice'; level: NoticeLevel; source: string; message: string }
  /**
   * Older turns were replaced by a summary (or, if the summariser failed, dropped). Pruning old tool
   * outputs alone emits nothing: it happens whenever the newest results crowd out older ones.
   */
  | ({ type: 'context.compacted' } & ContextCompaction)
  | ({ type: 'run.finished' } & RunResult)
  /**
   * An event of a sub-agent (or of its own sub-agent) started by a `task` call: `event` is the
   * child's event as it emitted it (with its `sessionId` and `parentSessionId`); `callId` is the
   * `task` call that started it, `agent` the child's agent and `depth` 1 for a child, 2 below that.
   * A UI shows these nested under the call; a child's `run.finished` is not the parent's. A child's
   * streamed text, reasoning and live command output are not passed up.
   */
  | {
      type: 'subagent.event'
      callId: string
      agent: string
      depth: number
      event: EngineEvent
    }
)

export type EngineEventType = EngineEvent['type']

export type { ToolCall }
