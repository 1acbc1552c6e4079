/** What the chat view renders: a flat list of items built from stored messages and live events. */
import type { PermissionPreview, PermissionReply, RunOutcomeStatus, ToolDetails } from '@penguin-ai/sdk'

/** An image to show inline (from a stored image part). */
export interface ImageRef {
  mediaType: string
  data: string
}

/** A prompt, an answer, or the model's reasoning (shown collapsed and dimmed). */
export interface TextItem {
  kind: 'user' | 'assistant' | 'reasoning'
  key: string
  text: string
  images?: ImageRef[]
  /** Assistant text or reasoning still arriving. */
  streaming?: boolean
  /** A prompt sent from this tab that the server has not confirmed yet. */
  pending?: boolean
}

export type PermissionState = 'pending' | 'sending' | PermissionReply

export interface PermissionAsk {
  id: string
  access: 'read' | 'write' | 'execute'
  subject: string
  /** Exactly what the call will do (absent only from a server older than previews). */
  preview?: PermissionPreview
  /** Why only an explicit answer allows it (a write inside `.git/` or `.penguin/`). */
  reason?: string
  state: PermissionState
  /** Answered by a rule or "always", not by a person. */
  auto?: boolean
}

export type ToolStatus = 'called' | 'running' | 'done' | 'error'

export interface ToolItem {
  kind: 'tool'
  key: string
  callId: string
  tool: string
  args: unknown
  /** One line naming what the call is about, from `tool.started`. */
  title?: string
  status: ToolStatus
  output?: string
  /** Images the tool returned (stored results only). */
  images?: ImageRef[]
  /** What the call did (live from `tool.finished`, or stored with the result). */
  details?: ToolDetails
  durationMs?: number
  permission?: PermissionAsk
  /** Seen as it happened in this tab (cards of live calls start open). */
  live?: boolean
  /** A call a sub-agent made (started by a `task` call): shown nested under it. */
  nest?: Nest
}

/** Where a sub-agent's item sits: its agent, its session, and how deep (1: a child of this session). */
export interface Nest {
  agent: string
  sessionId: string
  depth: number
}

/** A sub-agent's run, as the header of its nested panel: what it was asked and how it ended. */
export interface SubagentItem {
  kind: 'subagent'
  key: string
  nest: Nest
  prompt: string
  status: 'running' | RunOutcomeStatus
  /** Its final answer (what the parent's model read). */
  text?: string
  error?: string
}

export interface NoteItem {
  kind: 'summary' | 'notice'
  key: string
  text: string
  tone?: 'info' | 'error'
}

export type ChatItem = TextItem | ToolItem | NoteItem | SubagentItem

export interface Totals {
  /** All input tokens, of which `cacheReadTokens` came from the provider's prompt cache. */
  inputTokens: number
  cacheReadTokens: number
  outputTokens: number
  costUsd: number
}

export interface ActiveRun {
  id: string
  /** Index in `items` where the current turn began (a retried turn's text is dropped from there). */
  turnStart: number
  cancelling?: boolean
  retry?: string
}

/**
 * A message typed while a run works (steering it, or a follow-up for when it would stop), shown
 * beside the composer until the run reads it (`message.delivered`) — then it is a user turn in the
 * conversation where the model read it.
 */
export interface QueuedMessage {
  key: string
  delivery: 'steer' | 'follow_up'
  text: string
  /** `sending` until the server accepted it; `queued` waits for the run to read it. */
  state: 'sending' | 'queued'
}

export interface ChatState {
  items: ChatItem[]
  run: ActiveRun | null
  /** Messages for the run in progress, not read by it yet (oldest first). */
  queued: QueuedMessage[]
  lastOutcome?: { status: RunOutcomeStatus; message?: string }
  /** Session totals shown in the header: before this run, and now. */
  baseline: Totals
  totals: Totals
  /** Replaying after a reload: events before this run's are old news. */
  waitForRun?: string
  /** A counter for the keys of live items. */
  seq: number
}
