import { openShadowRepo } from '@penguin-ai/checkpoints'
import type { AsyncStore } from '@penguin-ai/store'
import { Checkpointer } from './checkpointer.js'
import type { AgentSessionOptions } from './session-options.js'

/**
 * Checkpoints are a safety net, not a precondition: without git the session runs without them.
 * The shadow repository is opened in the background (that spawns git), so a run's first model
 * request does not wait for it; checkpoints and restores do.
 */
export function openCheckpointer(
  options: Omit<AgentSessionOptions, 'store'>,
  store: AsyncStore,
  sessionId: string,
): { checkpointer: Checkpointer; ready: Promise<boolean> } | undefined {
  if (!options.dataDir) return undefined
  const repo = openShadowRepo({ dataDir: options.dataDir, workspace: options.engine.workspace.root })
  const ready = repo.then(
    () => true,
    (error: unknown) => {
      options.onCheckpointError?.(error)
      return false
    },
  )
  const checkpointer = new Checkpointer({
    store,
    repo,
    sessionId,
    ...(options.retention ? { retention: options.retention } : {}),
  })
  return { checkpointer, ready }
}

/** The checkpoints of an AgentSession's current session, and the one taken before a turn's changes. */
export class SessionCheckpoints {
  private current: Checkpointer | undefined
  /** Settles once the shadow repository is open (true) or could not be (false: no checkpoints). */
  private opened: Promise<boolean> = Promise.resolve(false)

  constructor(private readonly options: Omit<AgentSessionOptions, 'store'>) {}

  /** Undefined when the session has none (no data directory, no git, not stored). */
  get checkpointer(): Checkpointer | undefined {
    return this.current
  }

  /** Settles once the repository is open or could not be; a run waits for it before it ends. */
  ready(): Promise<boolean> {
    return this.opened
  }

  /** Starts opening the session's checkpoints; the first checkpoint waits for them. */
  use(store: AsyncStore, sessionId: string): void {
    const opening = openCheckpointer(this.options, store, sessionId)
    this.current = opening?.checkpointer
    this.opened = opening
      ? opening.ready.then((ok) => {
          if (!ok && this.current === opening.checkpointer) this.current = undefined
          return ok
        })
      : Promise.resolve(false)
  }

  /** A late session: checkpoints start once its store arrives (none when it never does). */
  useWhenStored(stored: Promise<AsyncStore | undefined>, sessionId: string): void {
    this.opened = stored.then(
      (store) => {
        if (!store) return false
        this.use(store, sessionId)
        return this.opened
      },
      () => false,
    )
  }

  /**
   * Before a turn that can change files: `flush` stores the conversation the checkpoint holds,
   * then the files are taken (a failure is reported, not thrown: checkpoints are a safety net).
   */
  async beforeChanges(flush: () => Promise<void>): Promise<void> {
    // The repository opens in the background: the first checkpoint waits for it.
    const checkpointer = (await this.opened) ? this.current : undefined
    if (!checkpointer) return
    await flush()
    try {
      await checkpointer.checkpoint('turn')
    } catch (error) {
      this.options.onCheckpointError?.(error)
    }
  }
}
