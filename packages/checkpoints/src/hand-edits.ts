import type { ShadowRepo } from './types.js'

/**
 * Paths whose content in the workspace differs from `lastKnownCommit` — the snapshot taken after the
 * agent's last turn, so anything different since was done by hand. The caller asks before a restore
 * would overwrite them.
 */
export async function handEdits(repo: ShadowRepo, lastKnownCommit: string): Promise<string[]> {
  const changes = await repo.diff(lastKnownCommit)
  return changes.map((change) => change.path)
}
