import { CheckpointError, openShadowRepo } from '@penguin-ai/checkpoints'
import { Checkpointer, CheckpointScopeError } from '@penguin-ai/sessions'
import type { Session } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'

/** The checkpoints of a stored session, outside any run (diff, restore). */
export async function checkpointerFor(deps: ServerDeps, session: Session): Promise<Checkpointer> {
  const dataDir = deps.config.dataDir
  if (!dataDir)
    throw new HttpError(422, 'unprocessable', 'checkpoints are disabled on this server (no data directory)')
  try {
    const repo = await openShadowRepo({ dataDir, workspace: session.workspace })
    return new Checkpointer({ store: deps.store, repo, sessionId: session.id })
  } catch (error) {
    throw asCheckpointHttpError(error)
  }
}

/** Checkpoint failures a client can understand become 422s; anything else stays a 500. */
export function asCheckpointHttpError(error: unknown): unknown {
  if (error instanceof CheckpointError || error instanceof CheckpointScopeError) {
    return new HttpError(422, 'unprocessable', error.message)
  }
  return error
}

/**
 * After a session is deleted, drops the snapshots no checkpoint refers to any more. Best effort:
 * the workspace may be gone, and a later prune catches up.
 */
export async function pruneSnapshots(deps: ServerDeps, session: Session): Promise<void> {
  const dataDir = deps.config.dataDir
  if (!dataDir) return
  try {
    const repo = await openShadowRepo({ dataDir, workspace: session.workspace })
    await repo.prune(await deps.store.liveCheckpointCommits())
  } catch {
    // Nothing to tell the client: the session is deleted either way.
  }
}
