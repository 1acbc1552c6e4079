import { dirname } from 'node:path'
import type { Checkpointer } from '@penguin-ai/sessions'
import type { Session, Store } from '@penguin-ai/store'
import { usageError } from '../cli-error.js'

/** The shadow repositories live beside the database. */
export function dataDirOf(store: Store): string {
  if (store.path === ':memory:') throw usageError('checkpoints need a database file, not :memory:')
  return dirname(store.path)
}

/** A checkpointer for a stored session, outside any running agent (the checkpoint commands). */
export async function checkpointerFor(store: Store, session: Session): Promise<Checkpointer> {
  const [{ openShadowRepo, CheckpointError }, { Checkpointer }] = await Promise.all([
    import('@penguin-ai/checkpoints'),
    import('@penguin-ai/sessions'),
  ])
  try {
    const repo = await openShadowRepo({ dataDir: dataDirOf(store), workspace: session.workspace })
    return new Checkpointer({ store, repo, sessionId: session.id })
  } catch (error) {
    if (error instanceof CheckpointError) throw usageError(error.message)
    throw error
  }
}

/** `--session ID`, else the latest session of the workspace. */
export function sessionFor(store: Store, ref: string | undefined, workspace: string): Session {
  if (ref) return store.requireSession(ref)
  const latest = store.latestSession(workspace)
  if (!latest)
    throw usageError(`No session in ${workspace} yet. Pass --session ID (see penguin sessions list).`)
  return latest
}
