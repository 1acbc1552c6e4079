/**
 * What a chat front end (the line chat, the terminal UI) talks to: a session that runs prompts and
 * answers the slash commands. Two implementations: the engine in this process (local-backend.ts)
 * and a session on a Penguin server (remote-backend.ts). The slash commands (commands.ts) are
 * written once against this interface, so every command works on both or says why it cannot.
 */
import type { FileChange } from '@penguin-ai/checkpoints'
import type { EngineEvent } from '@penguin-ai/engine'
import type { TurnSource } from '../session/turn-history.js'

/** A command this backend cannot do; the message says why (shown to the person as it is). */
export class Unavailable extends Error {}

export interface SessionRow {
  id: string
  /** ISO time. */
  updatedAt: string
  messageCount: number
  tokens: number
  costUsd: number
  title: string | null
}

export interface CheckpointRow {
  id: number
  /** ISO time. */
  createdAt: string
  kind: string
  messageCount: number
  label: string | null
}

export interface RestorePlan {
  messagesNow: number
  messagesAfter: number
  changes: FileChange[]
}

export interface Compaction {
  tokensBefore: number
  tokensAfter: number
}

export interface AgentChoice {
  current: string
  names: string[]
  warnings: string[]
}

export interface AgentSwitch {
  model: string
  /** The tools the agent is limited to, when its definition limits them. */
  tools?: string[]
  warnings: string[]
}

export interface TurnOptions {
  signal: AbortSignal
  onEvent: (event: EngineEvent) => void
}

export interface TurnResult {
  status: string
  /**
   * Messages sent to the turn (`steer`, `followUp`) that it ended without reading (it was
   * interrupted, or failed). A server reports these in a `notice` event instead.
   */
  undelivered?: string[]
}

export interface ResumedSession {
  id: string
  title: string | null
  messageCount: number
  agent: string | null
  model: string | null
}

export interface ChatBackend {
  /** The header's words after "Penguin": model · workspace[ · server][ · resumed …]. */
  banner(): string
  readonly modelId: string
  /** The agent the next prompt runs as (`build` unless switched). */
  readonly agentName: string
  readonly workspace: string
  /** One prompt; resolves when the run is over (aborting `signal` stops it). */
  run(prompt: string, options: TurnOptions): Promise<TurnResult>
  /**
   * A message for the turn in progress, read by the agent before its next model request (after
   * the tool calls it is running); `message.delivered` says when. Resolves false when no turn is in
   * progress or it is just ending: send it as a prompt then.
   */
  steer(text: string): Promise<boolean>
  /** Like `steer`, but read only when the agent would stop: the turn goes on with it. */
  followUp(text: string): Promise<boolean>
  /** `/model ID`: the id it resolved to. */
  setModel(id: string): Promise<string>
  /** `/agent` */
  agents(): Promise<AgentChoice>
  /** `/agent NAME`: Unavailable (with the reason) for an unknown name. */
  switchAgent(name: string): Promise<AgentSwitch>
  /** `/new`: the new session's id, or undefined when there are no sessions (the conversation was cleared). */
  newSession(): Promise<{ id: string; previous: string } | undefined>
  sessions(): Promise<{ current: string; rows: SessionRow[] }>
  /**
   * `/resume ID`; `agent`: the agent the session ran as (null: the default); `model`: the model it
   * ran on (null: not recorded).
   */
  resume(ref: string): Promise<ResumedSession>
  checkpoints(): Promise<CheckpointRow[]>
  /** The session's turns, for `/undo` and `/redo`. */
  turns(): TurnSource
  /** `/diff`: the workspace against the session's first checkpoint (undefined: none yet). */
  sessionDiff(): Promise<string | undefined>
  planRestore(checkpointId: number): Promise<RestorePlan>
  /** Resolves with the checkpoint that undoes the restore. */
  restore(checkpointId: number): Promise<{ undo: number }>
  /** `/compact`: undefined when there is nothing older to summarise yet. */
  compact(signal: AbortSignal): Promise<Compaction | undefined>
  close(): Promise<void>
}
