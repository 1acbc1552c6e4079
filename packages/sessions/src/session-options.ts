/** What an `AgentSession` is built with, and what its runs give back. */
import type { EngineOptions, QueuedMessage, RunOptions, RunResult } from '@penguin-ai/engine'
import type { AnyStore, RetentionPolicy } from '@penguin-ai/store'
import type { SessionChoice } from './open-session.js'
import type { RedactText } from './redact.js'

export interface AgentSessionOptions {
  /** The SQLite store (its async face is used) or any AsyncStore, e.g. Postgres. */
  store: AnyStore
  /** Everything the engine needs except the conversation, which comes from the session. */
  engine: Omit<EngineOptions, 'history'>
  /** Which session: a given one, the workspace's latest, or a new one. */
  choice?: Omit<SessionChoice, 'workspace' | 'model'>
  /** Where the shadow repositories live; without it there are no checkpoints. */
  dataDir?: string
  retention?: RetentionPolicy
  /** Offer memory_save / memory_search backed by the store. Default true. */
  memory?: boolean
  /** A checkpoint could not be taken; the turn goes on without one. */
  onCheckpointError?: (error: unknown) => void
  /**
   * Redacts what is stored (messages, tool results and details, summaries, memories, the title);
   * default `secretRedactor(process.env)`. The engine's own conversation is never redacted.
   */
  redact?: RedactText
}

/**
 * A NEW session whose database is still opening (`AgentSession.start`): everything of
 * AgentSessionOptions but the store, which arrives later.
 */
export interface LateSessionOptions extends Omit<AgentSessionOptions, 'store' | 'choice'> {
  /**
   * The store once it is open. Undefined: it cannot be, and the session runs unrecorded (its memory
   * tools say so). A rejection stops the session's run, and `run()` rejects with it.
   */
  store: Promise<AnyStore | undefined>
  /** Settings of the new session. */
  choice?: Pick<SessionChoice, 'title' | 'agent'>
}

/** How a session's run ended, and what was sent to it that it never took (see `steer`). */
export interface SessionRunResult extends RunResult {
  /** Steering and follow-ups sent during the run that it ended without reading, in order. */
  undelivered: QueuedMessage[]
}

/** How a session's run is run: the engine's options, its inbox being the session's own. */
export interface SessionRunOptions extends Omit<RunOptions, 'inbox'> {
  /**
   * Awaited before the run looks for steering and follow-ups, to bring in (with `post`) messages
   * sent from other processes; see `RunInbox.refresh`.
   */
  fetchMessages?: () => Promise<void>
  /**
   * The session is closed after this run (a server's run): its record is not read back from the
   * store once the run is over (`session` keeps what it was before the run).
   */
  lastRun?: boolean
}
