/** What an `Engine` is built with, and what its methods take and give back. */
import type {
  CallOptions,
  ImageBlock,
  Message,
  ReasoningEffort,
  ResolvedModel,
  TokenCounter,
  ToolCall,
  Usage,
} from '@penguin-ai/llm'
import type { Sandbox } from '@penguin-ai/sandbox'
import type {
  ChildEnvironmentOptions,
  FileAccess,
  PermissionPolicy,
  Tool,
  Workspace,
} from '@penguin-ai/tools'
import type { Budget } from './budget.js'
import type { CompactionOptions } from './compaction/settings.js'
import type { ContextCompaction, EngineEvent } from './events.js'
import type { EngineExtension } from './extensions.js'
import type { RunInbox } from './inbox.js'
import type { ModelStreamFn } from './model-turn.js'
import type { SubagentLineage, Subagents } from './subagents/types.js'
import type { AskPermission } from './tool-runner.js'

/**
 * Which asks run without asking: `byRule` tells whether a configured rule (the user's, an agent's, a
 * restriction) makes the call ask, rather than the default for its access (writes and commands ask).
 */
export type AutoApprove = (ask: {
  tool: string
  access: 'read' | 'write' | 'execute'
  byRule: boolean
}) => boolean

export interface EngineOptions {
  model: ResolvedModel
  workspace: Workspace
  /** Defaults to the built-in tools. */
  tools?: Tool[]
  /** Defaults to the default policy: reads allowed, writes and commands asked. */
  policy?: PermissionPolicy
  /** Answers the policy's asks. Without it every ask is rejected (a non-interactive run). */
  askPermission?: AskPermission
  /**
   * `--yes`: what the policy would ask about is allowed. Denials and confinement still apply. A
   * function approves only the asks it says yes to (see `AutoApprove`); the others are asked.
   */
  autoApprove?: boolean | AutoApprove
  /**
   * Without `askPermission`, what a refused ask tells the model the user can do about it (the model
   * passes it on). Default: `the user can rerun with --yes to allow it` (`penguin run`'s way).
   */
  approvalHint?: string
  /**
   * The environment of commands the agent runs: this process's, without credentials except the
   * names in `allow` (the config's `env.allow`). See `childEnvironment`.
   */
  commandEnv?: ChildEnvironmentOptions
  /**
   * The OS sandbox commands run in (see @penguin-ai/sandbox); absent, they run with the user's full
   * rights. Sandboxed calls (`run_command`) then run without asking unless a rule says otherwise, and
   * when the sandbox refuses one something, a run that can ask offers the user to re-run it outside.
   */
  sandbox?: Sandbox
  /**
   * Command patterns that run outside the sandbox (config `sandbox.excluded_commands`), judged like
   * `allow` rules: a line runs outside only if every command in it matches. Such a line is asked about
   * as any command without a sandbox is.
   */
  excludedCommands?: string[]
  /**
   * Replaces the system prompt built from the environment and PENGUIN.md / AGENTS.md. A promise is
   * awaited before the first request: a caller can start `environmentPrompt(options)` early so its
   * git probe runs alongside its other start-up work.
   */
  systemPrompt?: string | Promise<string>
  /**
   * The agent this engine runs as (see @penguin-ai/config agents): its prompt becomes the system
   * prompt's agent section (not used when `systemPrompt` replaces the whole prompt).
   */
  agent?: { name: string; prompt: string }
  /**
   * Which tools are offered, built-in and extension ones alike (an agent's `tools`): a tool it
   * rejects is never sent to the model, and a call to it is refused as an unknown tool.
   */
  toolFilter?: (name: string) => boolean
  /**
   * Where the file tools read and write file text (see `FileAccess` in @penguin-ai/tools); absent:
   * the local disk. `penguin acp` passes the editor's buffers when the client offers them. Paths are
   * confined, permissions asked and snapshots taken before the port is called, as for the disk.
   */
  files?: FileAccess
  /** Model calls per run. Default 50. */
  maxIterations?: number
  budget?: Budget
  /** A conversation to continue. */
  history?: Message[]
  /** How model streams are obtained; defaults to `streamChat` from `@penguin-ai/llm`. */
  stream?: ModelStreamFn
  callOptions?: CallOptions
  temperature?: number
  /** How hard a model that can reason thinks (`--reasoning`); undefined: the provider's default. */
  reasoning?: ReasoningEffort
  /**
   * A stable id for this conversation (the session id), sent as the prompt-cache key where the
   * provider routes caches by key (OpenAI's `prompt_cache_key`).
   */
  cacheKey?: string
  /**
   * Awaited before a turn's tool calls run when any of them can change files (not read-only), e.g.
   * to snapshot the workspace. The assistant message holding the calls is already in `messages`.
   */
  beforeChanges?: (calls: ToolCall[]) => Promise<void>
  /**
   * Awaited before each model request, once the conversation it sends is complete: e.g. to store
   * it first, so no request ever carries a turn (tool results the model then builds on) that a
   * crash right after could lose. A rejection fails the run like a model error would.
   */
  beforeRequest?: () => Promise<void>
  /**
   * Hooks, plugins, MCP servers, custom tools: what sees and steers the loop from outside (see
   * `EngineExtension`). Run in order.
   */
  extensions?: EngineExtension[]
  /** The session this conversation belongs to, as extensions are told it; default: a random id. */
  sessionId?: string
  /**
   * The agents this engine may delegate to with the `task` tool (see Subagents); absent, there is no
   * `task` tool. Children get it too, down to `MAX_SUBAGENT_DEPTH`.
   */
  subagents?: Subagents
  /** Set on a sub-agent's engine (the `task` tool builds it): its parent session, depth and agent. */
  lineage?: SubagentLineage
  /** When and how the conversation is compacted to stay inside the context window. */
  compaction?: CompactionOptions
  /**
   * Measures requests; defaults to `createTokenCounter(model)`: exact for OpenAI models once a
   * request nears the compaction limit (the tokenizer is loaded then), the estimate before.
   */
  tokenCounter?: TokenCounter
}

export interface RunOptions {
  signal?: AbortSignal
  onEvent?: (event: EngineEvent) => void
  /** Images sent with the prompt (an editor's pasted screenshot), after its text. */
  images?: readonly ImageBlock[]
  /**
   * The run's id in its events, instead of a fresh UUID: a host that named the run before it
   * started (a server that queued it, a worker resuming it) keeps one id for its clients.
   */
  runId?: string
  /**
   * Messages the user sends while the run is in progress (see `MessageInbox`): steering is taken
   * before each model request — after the tool results of the turn before it — and follow-ups when
   * the model would stop, so the run goes on with them instead of ending. Each is appended as a
   * user message and announced by `message.delivered`.
   */
  inbox?: RunInbox
}

/** What `engine.compact()` did: the `context.compacted` payload plus what the summary cost. */
export interface CompactResult extends ContextCompaction {
  /** `/compact` always summarises. */
  summary: string
  usage: Usage
  cost: number
}
