import { constants } from 'node:fs'
import { access, lstat } from 'node:fs/promises'
import path from 'node:path'

/** How many files are stat'ed at once; bounded so a first snapshot of a huge tree stays light on memory. */
const STAT_BATCH = 256

/**
 * Of the paths git is about to add (new or changed since the last snapshot), those that must stay
 * out: files over `maxFileBytes`, files we cannot read (git would abort the whole add), and nested
 * git repositories (listed by git as `dir/`; recording them as gitlinks would make restore unable to
 * tell their files from ours). Paths that have disappeared meanwhile are fine: git records the delete.
 */
export async function ineligiblePaths(workspace: string, candidates: string[], maxFileBytes: number) {
  const skipped: string[] = []
  for (let start = 0; start < candidates.length; start += STAT_BATCH) {
    const batch = candidates.slice(start, start + STAT_BATCH)
    const verdicts = await Promise.all(batch.map((rel) => isIneligible(workspace, rel, maxFileBytes)))
    batch.forEach((rel, index) => {
      if (verdicts[index]) skipped.push(rel)
    })
  }
  return skipped
}

async function isIneligible(workspace: string, rel: string, maxFileBytes: number): Promise<boolean> {
  if (rel.endsWith('/')) return true
  const file = path.join(workspace, rel)
  const stats = await lstat(file).catch(() => undefined)
  if (!stats) return false
  // A tracked path that is now a directory: a nested repository git recorded as a gitlink (skip it),
  // or a file replaced by a directory of files (git adds those).
  if (stats.isDirectory())
    return lstat(path.join(file, '.git')).then(
      () => true,
      () => false,
    )
  if (stats.isSymbolicLink()) return false
  // Sockets and FIFOs have no content to keep (git skips them too; this just says so).
  if (!stats.isFile()) return true
  if (stats.size > maxFileBytes) return true
  return access(file, constants.R_OK).then(
    () => false,
    () => true,
  )
}
