import type { FileChange, ShadowRepo } from '@penguin-ai/checkpoints'
// Types only: a static import of the store's root would load it (drizzle and all) with the session,
// and `penguin run` opens the session before the database so its first request does not wait.
import type { AnyStore, AsyncStore, Checkpoint, RetentionPolicy, Session } from '@penguin-ai/store'
import { asAsyncStore } from '@penguin-ai/store/faces'

export const DEFAULT_RETENTION: Required<RetentionPolicy> = { maxCount: 100, maxAgeDays: 30 }

export interface RestorePlan {
  checkpoint: Checkpoint
  /** What the workspace files would go through. */
  changes: FileChange[]
  /** Messages the conversation would have afterwards, and has now. */
  messagesAfter: number
  messagesNow: number
}

export interface RestoreOptions {
  /**
   * Keep only the first `keepMessages` messages of the checkpoint's conversation. A checkpoint is
   * taken mid-turn (before the first step that changes files), so it holds the turn's prompt; to
   * undo the whole turn, pass the session's `messageCount` from before the turn started.
   */
  keepMessages?: number
}

export interface RestoreResult extends RestorePlan {
  /** The state just before the restore; restoring it undoes the restore. */
  undo: Checkpoint
  session: Session
}

/**
 * Checkpoints of one session: a workspace snapshot in the shadow repository plus the conversation
 * at that moment, recorded together. Restores are checkpointed first, so every restore can be undone.
 */
export class Checkpointer {
  private readonly store: AsyncStore
  /** Opened in the background by AgentSession (it spawns git): each use waits for it. */
  private readonly repo: Promise<ShadowRepo>
  private readonly retention: RetentionPolicy
  readonly sessionId: string

  constructor(options: {
    store: AnyStore
    repo: ShadowRepo | Promise<ShadowRepo>
    sessionId: string
    retention?: RetentionPolicy
  }) {
    this.store = asAsyncStore(options.store)
    this.repo = Promise.resolve(options.repo)
    this.sessionId = options.sessionId
    // A partial policy keeps the default for what it leaves out.
    this.retention = { ...DEFAULT_RETENTION, ...options.retention }
  }

  /** Snapshot before a turn that can change files; old checkpoints beyond the retention are pruned. */
  async checkpoint(kind: Checkpoint['kind'] = 'turn', label?: string): Promise<Checkpoint> {
    const commit = await (await this.repo).snapshot(label)
    const checkpoint = await this.store.createCheckpoint({
      sessionId: this.sessionId,
      kind,
      commit,
      ...(label ? { label } : {}),
    })
    const dropped = await this.store.pruneCheckpoints(this.sessionId, this.retention)
    if (dropped.length > 0) await (await this.repo).prune(await this.store.liveCheckpointCommits())
    return checkpoint
  }

  list(): Promise<Checkpoint[]> {
    return this.store.listCheckpoints(this.sessionId)
  }

  /** The unified diff from a checkpoint to the workspace as it is now. */
  async diff(checkpointId: number): Promise<string> {
    const commit = this.commitOf(await this.own(checkpointId))
    return (await this.repo).patch(commit)
  }

  async plan(checkpointId: number, options: RestoreOptions = {}): Promise<RestorePlan> {
    const keep = options.keepMessages
    // Checked before anything changes: a restore must not bring the files back and then fail.
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 0)) {
      const { ValidationError } = await import('@penguin-ai/store')
      throw new ValidationError('keepMessages must be a whole number of messages, 0 or more', 'keepMessages')
    }
    const checkpoint = await this.own(checkpointId)
    const commit = this.commitOf(checkpoint)
    return {
      checkpoint,
      changes: await (await this.repo).planRestore(commit),
      messagesAfter: Math.min(checkpoint.messageCount, options.keepMessages ?? checkpoint.messageCount),
      messagesNow: (await this.store.requireSession(this.sessionId)).messageCount,
    }
  }

  /**
   * Files and conversation return to the checkpoint, after a `pre_restore` checkpoint of now (which
   * holds the whole conversation, `keepMessages` or not, so restoring it brings everything back).
   */
  async restore(checkpointId: number, options: RestoreOptions = {}): Promise<RestoreResult> {
    const plan = await this.plan(checkpointId, options)
    const undo = await this.checkpoint('pre_restore', `before restoring checkpoint ${checkpointId}`)
    await (await this.repo).restore(this.commitOf(plan.checkpoint))
    const session = await this.store.restoreConversation(
      plan.checkpoint.id,
      options.keepMessages === undefined ? {} : { keep: options.keepMessages },
    )
    return { ...plan, undo, session }
  }

  /** What taking the files of any checkpoint of this workspace would change (a fork's start). */
  async planFiles(checkpoint: Checkpoint): Promise<FileChange[]> {
    const commit = this.commitOf(checkpoint)
    return (await this.repo).planRestore(commit)
  }

  /**
   * Brings the workspace files to another session's checkpoint (forking at it), after a safety
   * checkpoint of this session so that too can be undone. The conversation is not touched.
   */
  async restoreFilesFrom(checkpoint: Checkpoint): Promise<FileChange[]> {
    const commit = this.commitOf(checkpoint)
    await this.checkpoint('pre_restore', `before taking the files of checkpoint ${checkpoint.id}`)
    return (await this.repo).restore(commit)
  }

  /** The checkpoint `/undo` goes back to: the newest one. */
  async latest(): Promise<Checkpoint | undefined> {
    return (await this.list())[0]
  }

  private async own(checkpointId: number): Promise<Checkpoint> {
    const checkpoint = await this.store.requireCheckpoint(checkpointId)
    if (checkpoint.sessionId !== this.sessionId) {
      throw new CheckpointScopeError(
        `checkpoint ${checkpointId} belongs to session ${checkpoint.sessionId}, not ${this.sessionId}`,
      )
    }
    return checkpoint
  }

  private commitOf(checkpoint: Checkpoint): string {
    if (!checkpoint.commit)
      throw new CheckpointScopeError(`checkpoint ${checkpoint.id} has no workspace snapshot to restore`)
    return checkpoint.commit
  }
}

/** A checkpoint that cannot be used from here: another session's, or one without a snapshot. */
export class CheckpointScopeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CheckpointScopeError'
  }
}
