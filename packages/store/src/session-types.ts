/**
 * Sessions, their messages, checkpoints and memories: the durable side of a conversation. The store
 * holds plain records; converting engine messages to parts and back lives with the callers.
 * Session ids are strings (`ses_…`, time-sortable) so they can travel in URLs and across servers.
 */
import type { ImageMediaType, Reasoning } from '@penguin-ai/protocol'

export { IMAGE_MEDIA_TYPES, type ImageMediaType } from '@penguin-ai/protocol'

/** An image, inline: the file's bytes in base64. */
export interface ImagePart {
  type: 'image'
  mediaType: ImageMediaType
  data: string
}

/**
 * A model's reasoning (`Reasoning` of `@penguin-ai/protocol`, as the model contract has it): `text`
 * is readable (may be empty); the other fields are the provider's opaque state, kept byte for byte
 * so it can be sent back.
 */
export type ReasoningPart = Reasoning

/** One piece of a message. A message is a list of parts so text, tool calls and results sit together. */
export type MessagePart =
  | { type: 'text'; text: string }
  | ImagePart
  | ReasoningPart
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  /** `content` is the result's text; `images`, when present, came after it. */
  | {
      type: 'tool_result'
      toolCallId: string
      name: string
      content: string
      isError: boolean
      images?: ImagePart[]
      /**
       * What the call did, for UIs (`ToolDetails` of `@penguin-ai/tools`: a `kind`, a `summary`, the
       * kind's fields), stored as given so history renders like the live run. Never sent to a model.
       */
      details?: Record<string, unknown>
    }
  /**
   * A compaction summary standing in for older turns: it replaces every earlier message of the
   * conversation except the last `keptMessages` ones before it (absent means 0: all of them).
   */
  | { type: 'summary'; text: string; keptMessages?: number }

export type MessageRole = 'user' | 'assistant' | 'tool'

export interface Session {
  id: string
  title: string | null
  /** Absolute path of the workspace the session works in. */
  workspace: string
  model: string | null
  projectId: number | null
  /** The session this one was forked from, and the checkpoint it was forked at. */
  parentId: string | null
  forkedFromCheckpointId: number | null
  /** A sub-agent's session: the session whose `task` call started it (null for others). */
  parentSessionId: string | null
  /**
   * The agent the session runs as: a sub-agent's, or the one picked for a top-level session
   * (`--agent`, the API's `agent`); null: the default agent.
   */
  agent: string | null
  /** Its runs go without permission asks (the server API's `auto_approve`; a fork keeps it). */
  autoApprove: boolean
  /** Messages currently in the conversation (not reverted by a restore). */
  messageCount: number
  inputTokens: number
  outputTokens: number
  /** Of inputTokens: read from the provider's prompt cache. */
  cacheReadTokens: number
  /** Of inputTokens: written to the provider's prompt cache. */
  cacheWriteTokens: number
  costUsd: number
  createdAt: string
  updatedAt: string
}

export interface StoredMessage {
  /** Global, increasing: the order of messages within a session. */
  id: number
  sessionId: string
  role: MessageRole
  parts: MessagePart[]
  /** Set on assistant messages: what producing this message cost. */
  model: string | null
  inputTokens: number
  outputTokens: number
  /** Of inputTokens: read from the provider's prompt cache. */
  cacheReadTokens: number
  /** Of inputTokens: written to the provider's prompt cache. */
  cacheWriteTokens: number
  costUsd: number
  createdAt: string
}

export const CHECKPOINT_KINDS = ['turn', 'pre_restore', 'manual'] as const
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number]

/** Inclusive ranges of message ids, e.g. [[1, 40], [57, 80]]: the conversation at a checkpoint. */
export type IdRanges = Array<[number, number]>

export interface Checkpoint {
  id: number
  sessionId: string
  kind: CheckpointKind
  /** The workspace snapshot (a commit in the shadow repository); null if nothing could be snapshotted. */
  commit: string | null
  /** The messages that made up the conversation when the checkpoint was taken. */
  messages: IdRanges
  /** Number of messages in that conversation (derived from `messages`). */
  messageCount: number
  label: string | null
  createdAt: string
}

export interface Memory {
  id: number
  /** What the memory belongs to: `project:<id>` or `workspace:<absolute path>`. */
  scope: string
  content: string
  tags: string[]
  sessionId: string | null
  createdAt: string
}

export interface MemoryHit extends Memory {
  /** FTS5 bm25 rank: lower is better. */
  rank: number
  /** The content with matches marked «like this», shortened around them. */
  snippet: string
}

// ---- inputs ---------------------------------------------------------------------------------

export interface NewSession {
  /**
   * The id, made beforehand with `newSessionId()` (`@penguin-ai/store/ids`) by a caller that needs it
   * before the row exists (a run whose first model request does not wait for the database).
   * Default: a new one.
   */
  id?: string
  workspace: string
  model?: string | null
  title?: string | null
  projectId?: number | null
  /** Makes it a sub-agent's session: the session that started it (which must exist). */
  parentSessionId?: string | null
  /** The agent a sub-agent's session runs as. */
  agent?: string | null
  /** Its runs go without permission asks (default false). */
  autoApprove?: boolean
}

export interface SessionPatch {
  title?: string | null
  model?: string | null
  /** The agent the session runs as (null: the default agent). */
  agent?: string | null
  autoApprove?: boolean
}

export interface SessionFilter {
  workspace?: string
  /** Only sessions whose workspace is this directory or lies under it (the server's `--root`). */
  under?: string
  projectId?: number
  /**
   * Sub-agents' sessions of this session, oldest first. Without it only top-level sessions are
   * listed: sub-agents' sessions are reached through their parent.
   */
  parentSessionId?: string
  limit?: number
}

/** What else an append changes on the session, in the same transaction. */
export interface NewMessage {
  role: MessageRole
  parts: MessagePart[]
  model?: string | null
  inputTokens?: number
  outputTokens?: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
  costUsd?: number
}

/** What else an append does, in the same transaction. */
export interface AppendOptions {
  /**
   * The session's title (a new session's, from its first prompt): written with the first append
   * rather than as a write of its own. Applied even when there are no messages.
   */
  title?: string | null
  /**
   * Ids of the PostgreSQL `control_messages` rows (messages sent to a run from another process:
   * steering, follow-ups) these messages deliver: deleted in the same transaction, so a message is
   * stored exactly once even when its process dies on the way. SQLite has no such rows (one process
   * sends and runs): ignored there.
   */
  consumes?: readonly number[]
  /**
   * PostgreSQL: the messages are stored only while this run's lease (`run_leases`) is still held by
   * `workerId` on attempt `attempt` — checked, and the lease row share-locked, in the append's own
   * statement — else LeaseLostError and nothing is stored. A worker too slow to beat its heartbeat,
   * whose run was taken back and dispatched again, so loses cleanly to the worker now running it
   * (the lock orders the two: an append that got in first is what the next worker resumes from).
   * SQLite has no leases (one process runs its runs): ignored there.
   */
  fence?: RunFence
}

/** Who may write for a queued run: its lease's holder and attempt (see AppendOptions.fence). */
export interface RunFence {
  runId: string
  workerId: string
  attempt: number
}

export interface NewCheckpoint {
  sessionId: string
  kind: CheckpointKind
  commit: string | null
  label?: string | null
}

export interface NewMemory {
  scope: string
  content: string
  tags?: string[]
  sessionId?: string | null
}

export interface RestoreOptions {
  /** Keep only the checkpoint's first `keep` messages (undoing a whole turn cuts its prompt too). */
  keep?: number
}

export interface RetentionPolicy {
  /** Keep at most this many checkpoints per session (newest kept). */
  maxCount?: number
  /** Drop checkpoints older than this many days. */
  maxAgeDays?: number
}

/** Session operations; part of `StoreOperations`. */
export interface SessionOperations {
  createSession(input: NewSession): Session
  getSession(id: string): Session | undefined
  /** By full id or unique prefix; throws NotFoundError (or ValidationError when ambiguous). */
  requireSession(ref: string): Session
  /** Newest first (by last activity). */
  listSessions(filter?: SessionFilter): Session[]
  /** The most recently active top-level session of a workspace, for `--continue`. */
  latestSession(workspace: string): Session | undefined
  updateSession(id: string, patch: SessionPatch): Session
  /**
   * Deletes the session with its messages and checkpoints. Returns the commits of those checkpoints
   * that no remaining checkpoint references (the ones the shadow repository may drop).
   */
  deleteSession(id: string): { commits: string[] }

  /** Appends messages in one transaction and adds their usage to the session (see AppendOptions). */
  appendMessages(sessionId: string, messages: NewMessage[], options?: AppendOptions): StoredMessage[]
  /** The conversation as it stands: messages not reverted, in order. */
  listMessages(sessionId: string): StoredMessage[]

  /** Records a checkpoint of the current conversation (its message ids) and a workspace commit. */
  createCheckpoint(input: NewCheckpoint): Checkpoint
  getCheckpoint(id: number): Checkpoint | undefined
  requireCheckpoint(id: number): Checkpoint
  /** Newest first. */
  listCheckpoints(sessionId: string): Checkpoint[]
  /**
   * Makes the session's conversation exactly the messages of `checkpoint` (messages after it are
   * reverted, not deleted; messages a previous restore reverted come back if the checkpoint had them).
   * With `keep`, only the checkpoint's first `keep` messages, in the same transaction.
   */
  restoreConversation(checkpointId: number, options?: RestoreOptions): Session
  /** A new session whose conversation is a copy of the checkpoint's; the original is untouched. */
  forkSession(sessionId: string, checkpointId?: number): Session
  /** Drops checkpoints beyond the policy; returns the dropped ones (their commits can be pruned). */
  pruneCheckpoints(sessionId: string, policy: RetentionPolicy): Checkpoint[]
  /** Every commit still referenced by any checkpoint, for pruning the shadow repository. */
  liveCheckpointCommits(): string[]

  saveMemory(input: NewMemory): Memory
  /** Full-text search (FTS5) within the given scopes, best first; default limit 5. */
  searchMemories(query: string, options: { scopes: string[]; limit?: number }): MemoryHit[]
  listMemories(scopes: string[], limit?: number): Memory[]
  deleteMemory(id: number): void
}
