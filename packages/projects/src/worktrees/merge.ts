/**
 * Merging a task's branch back into the project branch without ever leaving the workspace half
 * merged: git computes the merge in memory (`merge-tree --write-tree`); only a clean result becomes a
 * merge commit, and the workspace moves to it with a fast-forward. A conflict changes nothing: the
 * caller gets the files and the conflicting hunks, and the task's branch stays as it was.
 */
import { git, gitMessage, gitScript } from './git.js'
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

  const result = await gitScript(repo.top, MERGE_SCRIPT, [head, tip, message], repo.identity)
  const why = () => gitMessage(result)
  if (result.code === COMMIT_TREE_FAILED) throw new Error(`git commit-tree failed: ${why()}`)
  if (result.code === FAST_FORWARD_FAILED) throw new Error(`git merge failed: ${why()}`)
  if (result.code > 1) throw new Error(`git merge-tree failed: ${why()}`)
  const [treeLine = '', ...rest] = result.stdout.split('\n')
  if (result.code === 1) {
    const blank = rest.indexOf('')
    const files = [...new Set((blank < 0 ? rest : rest.slice(0, blank)).filter(Boolean))]
    const messages = (blank < 0 ? [] : rest.slice(blank + 1)).filter(Boolean)
    return { merged: false, files, conflict: await describeConflict(repo, treeLine.trim(), files, messages) }
  }
  return { merged: true, commit: treeLine.trim() }
}

const COMMIT_TREE_FAILED = 90
const FAST_FORWARD_FAILED = 91

/**
 * The merge as one process (see gitScript): git merges `$1` (the project branch's commit) and `$2`
 * (the task's) in memory; a conflict exits 1 with merge-tree's listing (tree, files, blank line,
 * messages) and changes nothing. A clean tree becomes a merge commit with message `$3`, and the
 * workspace moves to it with a fast-forward — which moves the branch and the working tree together,
 * and refuses (changing nothing) if the user's own uncommitted edits are in the way. Prints the commit
 * (the fast-forward's own output, a post-merge hook's included, goes to stderr).
 * git's automatic maintenance runs once at the end of the run (forgetTaskBranches), not after each merge.
 */
const MERGE_SCRIPT = `out=$(git merge-tree --write-tree --name-only "$1" "$2")
code=$?
if [ "$code" -ne 0 ]; then printf '%s\\n' "$out"; exit "$code"; fi
commit=$(git commit-tree "$out" -p "$1" -p "$2" -m "$3") || exit ${COMMIT_TREE_FAILED}
git -c maintenance.auto=false merge --ff-only --quiet "$commit" >&2 || exit ${FAST_FORWARD_FAILED}
printf '%s\\n' "$commit"`

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
