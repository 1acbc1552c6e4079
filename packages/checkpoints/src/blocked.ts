import type { Stats } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { FileChange } from './types.js'

/**
 * Of the changes a restore would make (index → commit), the paths it must leave alone. The index
 * mirrors every eligible file, so anything on disk that the index lacks is ignored, huge, unreadable
 * or in a nested repository — and git, asked to write a file there, would replace it (and a directory
 * in the way, recursively). A write is blocked when its own path or any parent is occupied by such
 * an entry; occupants that the restore deletes first do not count.
 */
export async function blockedPaths(workspace: string, changes: FileChange[]): Promise<Set<string>> {
  const deleting = new Set(
    changes.filter((change) => change.status === 'deleted').map((change) => change.path),
  )
  const stats = new Map<string, Promise<Stats | undefined>>()
  const statOf = (rel: string) => {
    let pending = stats.get(rel)
    if (!pending) {
      pending = lstat(path.join(workspace, rel)).catch(() => undefined)
      stats.set(rel, pending)
    }
    return pending
  }
  const blocked = new Set<string>()
  await Promise.all(
    changes
      .filter((change) => change.status === 'added')
      .map(async (change) => {
        if (await isBlocked(workspace, change.path, deleting, statOf)) blocked.add(change.path)
      }),
  )
  return blocked
}

async function isBlocked(
  workspace: string,
  rel: string,
  deleting: Set<string>,
  statOf: (rel: string) => Promise<Stats | undefined>,
): Promise<boolean> {
  const parts = rel.split('/')
  for (let depth = 1; depth < parts.length; depth++) {
    const parent = parts.slice(0, depth).join('/')
    const stats = await statOf(parent)
    if (!stats) return false
    if (!stats.isDirectory() && !deleting.has(parent)) return true
    if (!stats.isDirectory()) return false
  }
  const stats = await statOf(rel)
  if (!stats) return false
  if (!stats.isDirectory()) return true
  return !(await onlyDeletedInside(workspace, rel, deleting))
}

/** Whether the directory at `rel` will be gone once the restore's deletions and empty-dir cleanup ran. */
async function onlyDeletedInside(workspace: string, rel: string, deleting: Set<string>): Promise<boolean> {
  const entries = await readdir(path.join(workspace, rel), { withFileTypes: true }).catch(() => undefined)
  if (!entries) return false
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`
    if (entry.isDirectory()) {
      if (!(await onlyDeletedInside(workspace, child, deleting))) return false
    } else if (!deleting.has(child)) return false
  }
  return true
}
