/**
 * The engine's one extension seam. Hooks (Claude Code compatible scripts), plugins, MCP servers and
 * custom tools all reach the loop through this interface; their implementations live outside the
 * engine (`@penguin-ai/extensions`, `@penguin-ai/mcp`), which stays provider- and extension-agnostic.
 *
 * Every method is optional and may be async. An extension that throws is reported (a `notice`
 * event) and treated as if it had said nothing: a broken extension never breaks a run.
 */
import type { ChatRequest } from '@penguin-ai/llm'
import type { NoticeLevel } from '@penguin-ai/protocol'
import type { Tool, ToolResult } from '@penguin-ai/tools'
import type { EngineEvent, PermissionRequest } from './events.js'

export type { NoticeLevel }

/** What every extension method is told about where it runs. */
export interface ExtensionContext {
  /** The session: the stored session's id, or the engine's own id when nothing is stored. */
  sessionId: string
  /** Set in a sub-agent's engine: the session whose `task` call started it. */
  parentSessionId?: string
  /** The workspace root. */
  cwd: string
  /** Aborted when the run is: long work should stop. */
  signal: AbortSignal
  /** Tells the user something (a hook's error, a tool server that died) as a `notice` event. */
  notify(level: NoticeLevel, message: string): void
}

/** Any verdict may end the run: `stop` says why (the run finishes `failed`, error kind `stopped`). */
export interface Stoppable {
  stop?: string
}

/** A tool call about to be judged and run. */
export interface ToolCallInfo {
  callId: string
  tool: string
  args: unknown
  readOnly: boolean
}

/** What an extension says before a call is judged. */
export interface ToolCallVerdict extends Stoppable {
  /** Refuses the call: the model reads this text as the call's result. */
  block?: string
  /** Replaces the arguments (the tool validates them again). */
  args?: unknown
  /**
   * Settles the permission question. `allow` skips asking (never a deny rule, nor the explicit yes a
   * write into `.git/` or `.penguin/` needs); `deny` refuses (the model reads `reason`); `ask` asks
   * the user even where the rules or `--yes` would allow (a run that cannot ask refuses).
   */
  permission?: 'allow' | 'deny' | 'ask'
  /** Why: given to the model on `deny`, shown to the user on `ask`. */
  reason?: string
  /** Text the model gets alongside the call's result. */
  context?: string
}

/** A call that ran (or was refused), with what it returned. */
export interface ToolCallResultInfo extends ToolCallInfo {
  result: ToolResult
}

/** What an extension says after a call: a replaced result and text the model reads with it. */
export interface ToolResultVerdict extends Stoppable {
  output?: string
  isError?: boolean
  /** Appended to what the model reads (a formatter's complaint, a reminder). */
  context?: string
}

/** What an extension says about a prompt before the model sees it. */
export interface PromptVerdict extends Stoppable {
  /** Refuses the prompt (it is not added to the conversation); the user reads this. */
  block?: string
  /** Text the model gets with the prompt. */
  context?: string
}

/** What an extension says when the model is about to end its turn without tool calls. */
export interface StopVerdict extends Stoppable {
  /** Keeps the run going: the model reads this as the next instruction. */
  continue?: string
}

/** When a run is about to end: its last text, and for a sub-agent, which agent and whose child. */
export interface StopInfo {
  text: string
  stopHookActive: boolean
  subagent?: { agent: string; parentSessionId: string }
}

export interface SessionStartVerdict extends Stoppable {
  /** Text the model gets with the first prompt. */
  context?: string
}

/** The model options an extension may change before each request. */
export type ChatParams = Pick<ChatRequest, 'temperature' | 'maxOutputTokens' | 'reasoning'>

export interface EngineExtension {
  /** Names the extension in notices (`hooks`, `mcp`, `plugin my-plugin`). */
  readonly name: string
  /**
   * Tools to offer the model, asked before every model request (so tools can come and go: an MCP
   * server that finishes its handshake, or dies). Must bound its own waiting. A tool whose name is
   * already taken (a built-in's, an earlier extension's) is left out with a notice.
   */
  tools?(ctx: ExtensionContext): readonly Tool[] | Promise<readonly Tool[]>
  /** Once, before the first prompt an engine runs; `resume` when it continues a conversation. */
  sessionStart?(
    ctx: ExtensionContext,
    info: { source: 'startup' | 'resume' },
  ): SessionStartVerdict | undefined | Promise<SessionStartVerdict | undefined>
  /** A prompt, before it joins the conversation. */
  promptSubmit?(
    ctx: ExtensionContext,
    info: { prompt: string },
  ): PromptVerdict | undefined | Promise<PromptVerdict | undefined>
  /** A call, before permission is settled. Extensions run in order; each sees the previous one's `args`. */
  beforeToolCall?(
    ctx: ExtensionContext,
    call: ToolCallInfo,
  ): ToolCallVerdict | undefined | Promise<ToolCallVerdict | undefined>
  /**
   * The rules ask the user about a call: answer instead (`allow` or `deny`), or return nothing to
   * leave it to the user. Not asked for what only an explicit yes may allow.
   */
  permission?(
    ctx: ExtensionContext,
    request: PermissionRequest,
  ): 'allow' | 'deny' | undefined | Promise<'allow' | 'deny' | undefined>
  /** A call's result, before the model reads it. */
  afterToolCall?(
    ctx: ExtensionContext,
    call: ToolCallResultInfo,
  ): ToolResultVerdict | undefined | Promise<ToolResultVerdict | undefined>
  /** The options of the next model request; return the ones to change. */
  chatParams?(
    ctx: ExtensionContext,
    params: ChatParams,
  ): Partial<ChatParams> | undefined | Promise<Partial<ChatParams> | undefined>
  /**
   * The model answered without tool calls and the run would end. `stopHookActive`: it already went on
   * once because of this. `subagent` is set when the engine is a sub-agent's (Claude Code's
   * `SubagentStop` rather than `Stop`).
   */
  beforeStop?(
    ctx: ExtensionContext,
    info: StopInfo,
  ): StopVerdict | undefined | Promise<StopVerdict | undefined>
  /** Older turns are about to be summarised (`auto`) or `/compact` was asked for (`manual`). */
  beforeCompact?(ctx: ExtensionContext, info: { trigger: 'manual' | 'auto' }): void | Promise<void>
  /** Every engine event, as it happens. Must not throw or block. */
  event?(event: EngineEvent): void
}
