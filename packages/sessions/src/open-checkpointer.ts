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
