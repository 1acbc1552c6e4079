import { realpath, rmdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { blockedPaths } from './blocked.js'
import { diffIndexToCommit } from './changes.js'
import { type RepoContext, workspaceTarget } from './context.js'
import { ioError } from './errors.js'
import { git } from './git.js'
import { joinNul } from './nul.js'
import { stageWorkspace } from './stage.js'
import type { FileChange } from './types.js'

export interface RestorePlan {
  /** What the restore changes, read from the workspace now to the commit. */
  changes: FileChange[]
  /** Paths the commit has that stay as they are because an ignored, huge or foreign entry is there. */
  blocked: string[]
}

/** What restoring `commit` (a resolved id) would do to the workspace as it is now. */
export async function planRestore(context: RepoContext, commit: string): Promise<RestorePlan> {
  await stageWorkspace(context)
  const all = await diffIndexToCommit(context, commit)
  const blocked = await blockedPaths(context.workspace, all)
  return { changes: all.filter((change) => !blocked.has(change.path)), blocked: [...blocked] }
}

/** Carries out `plan`: deletions first (so directories can turn into files), then git writes the rest. */
export async function applyRestore(context: RepoContext, commit: string, plan: RestorePlan): Promise<void> {
  const deletions = plan.changes.filter((change) => change.status === 'deleted').map((change) => change.path)
  const writes = plan.changes.filter((change) => change.status !== 'deleted').map((change) => change.path)
  const parents = new Set<string>()
  for (const rel of deletions) {
    if (await removeInside(context.workspace, rel)) parents.add(path.posix.dirname(rel))
  }
  await removeEmptyDirectories(context.workspace, parents)
  if (writes.length === 0) return
  // git writes through no symlink: it replaces what is in the way, which `blockedPaths` made sure is
  // only ever something this restore owns. It also refreshes those entries in the private index.
  await git(
    workspaceTarget(context, undefined),
    ['--literal-pathspecs', 'checkout', '-q', commit, '--pathspec-from-file=-', '--pathspec-file-nul'],
    { input: joinNul(writes) },
  )
}

/**
 * Unlinks one workspace file (a symlink itself, never its target), but only if its directory really is
 * inside the workspace: a parent swapped for a symlink since the plan would otherwise lead outside.
 */
async function removeInside(workspace: string, rel: string): Promise<boolean> {
  if (rel.split('/').some((part) => part === '' || part === '.' || part === '..')) return false
  const file = path.join(workspace, rel)
  const parent = await realpath(path.dirname(file)).catch(() => undefined)
  if (parent !== path.dirname(file)) return false
  try {
    await unlink(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw ioError(`deleting ${rel} from the workspace`, error)
  }
}

/**
 * Removes directories the deletions left empty, deepest first, walking up to (never including) the
 * workspace root; a directory that still holds anything — ignored files, say — stays.
 */
async function removeEmptyDirectories(workspace: string, parents: Set<string>): Promise<void> {
  const candidates = new Set<string>()
  for (let rel of parents) {
    while (rel !== '.' && rel !== '' && !candidates.has(rel)) {
      candidates.add(rel)
      rel = path.posix.dirname(rel)
    }
  }
  const deepestFirst = [...candidates].sort((a, b) => b.split('/').length - a.split('/').length)
  for (const rel of deepestFirst) await rmdir(path.join(workspace, rel)).catch(() => undefined)
}
