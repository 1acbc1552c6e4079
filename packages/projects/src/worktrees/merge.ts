/**
 * Merging a task's branch back into the project branch without ever leaving the workspace half
 * merged: git computes the merge in memory (`merge-tree --write-tree`); only a clean result becomes a
 * merge commit, and the workspace moves to it with a fast-forward. A conflict changes nothing: the
 * caller gets the files and the conflicting hunks, and the task's branch stays as it was.
 */
import { git, gitOk } from './git.js'
import { checkedOutBranch, type ProjectRepo, refCommits } from './repo.js'

export type MergeOutcome =
  | { merged: true; commit: string | null }
  | { merged: false; files: string[]; conflict: string }

/** Characters of conflict hunks kept for the task's summary. */
const CONFLICT_CHARS = 6_000

export async function mergeTaskBranch(
  repo: ProjectRepo,
  branch: string,
  message: string,
  /** The branch has commits of its own (skips asking git whether it was merged already). */
  options: { changed?: boolean } = {},
): Promise<MergeOutcome> {
  // Both commits pinned (a commit the user makes meanwhile is never merged over): read from the
  // ref files when they are loose, as refs just written are; else one git call.
  const current = await checkedOutBranch(repo.gitDir)
  if (current !== repo.branch)
    throw new Error(
      `the workspace ${repo.top} is no longer on ${repo.branch} (now ${current ?? 'a detached HEAD'}); switch back to merge task branches`,
    )
  const [head = '', tip = ''] = await refCommits(repo, [repo.branch, branch])
  if (!options.changed && (await git(repo.top, ['merge-base', '--is-ancestor', tip, head])).code === 0)
    return { merged: true, commit: null }

  const result = await git(repo.top, ['merge-tree', '--write-tree', '--name-only', head, tip])
  if (result.code > 1) throw new Error(`git merge-tree failed: ${(result.stderr || result.stdout).trim()}`)
  const [treeLine = '', ...rest] = result.stdout.split('\n')
  const tree = treeLine.trim()
  if (result.code === 1) {
    const blank = rest.indexOf('')
    const files = [...new Set((blank < 0 ? rest : rest.slice(0, blank)).filter(Boolean))]
    const messages = (blank < 0 ? [] : rest.slice(blank + 1)).filter(Boolean)
    return { merged: false, files, conflict: await describeConflict(repo, tree, files, messages) }
  }
  const commit = (
    await gitOk(repo.top, ['commit-tree', tree, '-p', head, '-p', tip, '-m', message], repo.identity)
  ).trim()
  // A fast-forward moves the branch and the working tree together, and refuses (changing nothing)
  // if the user's own uncommitted edits are in the way.
  await gitOk(repo.top, ['merge', '--ff-only', '--quiet', commit])
  return { merged: true, commit }
}

/** The conflicted files and, for each, its conflicting hunks (with markers) as git wrote them. */
async function describeConflict(
  repo: ProjectRepo,
  tree: string,
  files: string[],
  messages: string[],
): Promise<string> {
  const parts = [`merge conflict with ${repo.branch} in ${files.join(', ') || 'the tree'}`]
  parts.push(...messages.map((line) => `  ${line}`))
  for (const file of files) {
    const shown = await git(repo.top, ['cat-file', '-p', `${tree}:${file}`])
    if (shown.code !== 0) continue
    const hunks = conflictHunks(shown.stdout)
    if (hunks) parts.push(`--- ${file}`, hunks)
  }
  const text = parts.join('\n')
  return text.length <= CONFLICT_CHARS ? text : `${text.slice(0, CONFLICT_CHARS)}\n[… cut]`
}

/** The `<<<<<<<` … `>>>>>>>` regions of a file git merged with conflict markers. */
export function conflictHunks(text: string): string {
  const out: string[] = []
  let inside = false
  for (const line of text.split('\n')) {
    if (line.startsWith('<<<<<<<')) inside = true
    if (inside) out.push(line)
    if (line.startsWith('>>>>>>>')) inside = false
  }
  return out.join('\n')
}
