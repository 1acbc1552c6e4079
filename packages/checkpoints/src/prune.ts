import { SNAPSHOT_REF_PREFIX } from './commits.js'
import { type RepoContext, repoTarget } from './context.js'
import { git } from './git.js'

/**
 * Deletes every snapshot ref outside `keep` (resolved full ids), makes sure each kept commit has
 * one, then expires reflogs and collects garbage so the dropped snapshots' objects leave the disk.
 * Objects the private index still points at (the workspace as last staged) survive; the next
 * snapshot needs them anyway.
 */
export async function pruneSnapshots(context: RepoContext, keep: Set<string>): Promise<void> {
  const target = repoTarget(context)
  const listing = await git(target, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/penguin/'])
  const existing = new Map<string, string>()
  for (const line of listing.stdout.toString('utf8').split('\n')) {
    const [commit, ref] = line.split(' ')
    if (commit && ref) existing.set(ref, commit)
  }
  const commands: string[] = []
  for (const [ref, commit] of existing) if (!keep.has(commit)) commands.push(`delete ${ref}\n`)
  const kept = new Set(existing.values())
  for (const commit of keep)
    if (!kept.has(commit)) commands.push(`update ${SNAPSHOT_REF_PREFIX}${commit} ${commit}\n`)
  if (commands.length) await git(target, ['update-ref', '--stdin'], { input: commands.join('') })
  await git(target, ['reflog', 'expire', '--expire=now', '--expire-unreachable=now', '--all'])
  await git(target, ['gc', '--prune=now', '--quiet'])
}
