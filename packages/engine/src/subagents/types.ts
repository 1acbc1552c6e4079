/**
 * Sub-agents: a `task` call starts (or continues) a child session with its own context, running as
 * another agent. The engine runs children; the host says which agents exist (config's agent files)
 * and where child sessions are stored (the sessions package).
 */
import type { ReasoningEffort, ResolvedModel } from '@penguin-ai/llm'
import type { PermissionRule } from '@penguin-ai/tools'
import type { EngineOptions, RunOptions } from '../engine-options.js'
import type { RunResult } from '../events.js'

/** Levels of sub-agents below the session the user talks to: a child may start children, no deeper. */
export const MAX_SUBAGENT_DEPTH = 2
/** The agent an engine given no `agent` runs as (the same name as @penguin-ai/config's DEFAULT_AGENT). */
export const DEFAULT_AGENT = 'build'
/** `task` calls of one turn running at once unless `agents.max_parallel` says otherwise. */
export const DEFAULT_MAX_PARALLEL = 4

/** An agent a `task` call can start, as the host resolved it. */
export interface SubagentProfile {
  name: string
  description: string
  /** The system prompt's agent section. */
  prompt: string
  /** Its own model; absent: the parent's. */
  model?: ResolvedModel
  /** The tools its definition offers (absent: all); the child gets those the parent has too. */
  toolFilter?: (name: string) => boolean
  /** Its permission rules, applied as restrictions: a child never gets more than its parent. */
  restrictions?: readonly PermissionRule[]
  maxIterations?: number
  reasoning?: ReasoningEffort
  /** Whether it may start another instance of itself (its file says `recursive: true`). */
  recursive?: boolean
}

/** What the host is asked to open for a child: a new session, or `sessionId` to continue. */
export interface SubagentSessionRequest {
  agent: string
  parentSessionId: string
  /** Continue this child session (a previous `task` call's `session_id`). */
  sessionId?: string
  /** A short title: the call's `description`, else the start of the prompt. */
  title: string
  /** The child engine's options (its conversation comes from the session). */
  engine: Omit<EngineOptions, 'history'>
}

/** A child session the host opened: runs prompts, records them, and is closed when the call ends. */
export interface SubagentSession {
  readonly sessionId: string
  /** The agent the session was started with (a continued session keeps its agent). */
  readonly agent?: string
  run(prompt: string, options: RunOptions): Promise<RunResult>
  /** Stops recording; a promise settles once what the child said is stored. */
  close(): void | Promise<void>
}

/** Given to an engine that may delegate (`EngineOptions.subagents`). */
export interface Subagents {
  /** The agents a task may start: name and description, shown to the model in the tool's description. */
  readonly agents: readonly { name: string; description: string }[]
  /** The named agent, or undefined when there is none. */
  resolve(name: string): Promise<SubagentProfile | undefined>
  /** `task` calls of one turn that run at once (`agents.max_parallel`); default 4. */
  maxParallel?: number
  /**
   * Opens (or continues) a stored child session. Absent: children live in memory, and a
   * `session_id` can be continued only while the parent engine lives.
   */
  openSession?(request: SubagentSessionRequest): Promise<SubagentSession>
}

/** Set on a child engine: where it sits in the tree. */
export interface SubagentLineage {
  parentSessionId: string
  /** 1 for a child of the user's session, 2 for a grandchild. */
  depth: number
  /** The agent this engine runs as. */
  agent: string
  /** Whether the parent's budget is spent (children's usage counts towards it). */
  parentOverBudget?: () => boolean
}
