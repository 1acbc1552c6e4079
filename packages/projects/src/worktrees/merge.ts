/**
 * Merging a task's branch back into the project branch without ever leaving the workspace half
 * merged: git computes the merge in memory (`merge-tree --write-tree`); only a clean result becomes a
 * merge commit, and the workspace moves to it with a fast-forward. A conflict changes nothing: the
 * caller gets the files and the conflicting hunks, and the task's branch stays as it was.
 */
import { randomUUID } from 'node:crypto'
import { git, gitMessage, gitScript } from './git.js'
import { checkedOutBranch, type ProjectRepo, refCommits } from './repo.js'

export type MergeOutcome =
  | { merged: true; commit: string | null }
  | { merged: false; files: string[]; conflict: string }

/** Characters of conflict hunks kept for the task's summary. */
const CONFLICT_CHARS = 6_000

/** One task branch to merge into the project branch. */
export interface MergeRequest {
  branch: string
  /** The merge commit's message. */
  message: string
  /** The branch has commits of its own (skips asking git whether it was merged already). */
  changed?: boolean
}

export async function mergeTaskBranch(
  repo: ProjectRepo,
  branch: string,
  message: string,
  options: { changed?: boolean } = {},
): Promise<MergeOutcome> {
  const [outcome] = await mergeTaskBranches(repo, [{ branch, message, ...options }])
  if (!outcome) throw new Error('git merge failed: no outcome')
  if (outcome instanceof Error) throw outcome
  return outcome
}

/**
 * Merges several task branches in one git script, in order, each as its own merge commit on top of
 * the one before; the workspace then moves once, to the last. A branch that conflicts (or that git
 * cannot merge: an Error in its place) is skipped and the others still merge. Throws, merging
 * nothing, when the workspace left the project branch or the final fast-forward is refused.
 */
export async function mergeTaskBranches(
  repo: ProjectRepo,
  requests: readonly MergeRequest[],
): Promise<(MergeOutcome | Error)[]> {
  if (requests.length === 0) return []
  const current = await checkedOutBranch(repo.gitDir)
  if (current !== repo.branch)
    throw new Error(
      `the workspace ${repo.top} is no longer on ${repo.branch} (now ${current ?? 'a detached HEAD'}); switch back to merge task branches`,
    )
  // The commits pinned (a commit the user makes meanwhile is never merged over): read from the
  // ref files when they are loose, as refs just written are; else one git call.
  const [head = ''] = await refCommits(repo, [repo.branch])
  const branches = requests.map((request) => request.branch)
  // A branch that is gone (deleted by hand) fails alone; the others still merge.
  const tips = await refCommits(repo, branches).catch(() =>
    Promise.all(
      branches.map((branch) =>
        refCommits(repo, [branch]).then(
          ([tip]) => tip ?? '',
          () => '',
        ),
      ),
    ),
  )
  const mark = `@@penguin-merge-${randomUUID()}`
  const args = [mark, head]
  const asked: number[] = []
  requests.forEach((request, index) => {
    const tip = tips[index]
    if (!tip) return
    asked.push(index)
    args.push(tip, request.message, request.changed ? '0' : '1')
  })
  const result = asked.length > 0 ? await gitScript(repo.top, MERGE_SCRIPT, args, repo.identity) : undefined
  if (result && result.code !== 0) throw new Error(`git merge failed: ${gitMessage(result)}`)
  const records = result ? splitRecords(result.stdout, mark) : []
  return Promise.all(
    requests.map(async (request, index): Promise<MergeOutcome | Error> => {
      const at = asked.indexOf(index)
      if (!result || at < 0) return new Error(`git merge failed: branch ${request.branch} not found`)
      const [status = '', ...body] = records[at] ?? []
      const [kind, detail = ''] = status.split(' ')
      if (kind === 'merged') return { merged: true, commit: detail || null }
      if (kind === 'conflict' && detail === '1') {
        const [treeLine = '', ...rest] = body
        const blank = rest.indexOf('')
        const files = [...new Set((blank < 0 ? rest : rest.slice(0, blank)).filter(Boolean))]
        const messages = (blank < 0 ? [] : rest.slice(blank + 1)).filter(Boolean)
        return {
          merged: false,
          files,
          conflict: await describeConflict(repo, treeLine.trim(), files, messages),
        }
      }
      const why = gitMessage({ ...result, code: Number(detail) || 1 })
      if (kind === 'failed') return new Error(`git commit-tree failed: ${why}`)
      if (kind === 'conflict') return new Error(`git merge-tree failed: ${why}`)
      return new Error(`git merge failed for ${request.branch}: no outcome`)
    }),
  )
}

/** The script's output: one record per branch, each a status line (after the marker) and its lines. */
function splitRecords(stdout: string, mark: string): string[][] {
  const records: string[][] = []
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${mark} `)) records.push([line.slice(mark.length + 1)])
    else records.at(-1)?.push(line)
  }
  return records
}

/**
 * The merges as one process (see gitScript). `$1` a marker that starts each branch's record, `$2` the
 * project branch's commit, then for each branch its commit, the merge commit's message, and 1 to
 * first ask whether it was merged already. git merges each in memory (`merge-tree --write-tree`) into
 * the commit before: a conflict prints merge-tree's listing (tree, files, blank line, messages) and
 * skips the branch, changing nothing. A clean tree becomes a merge commit on top. At the end the
 * workspace moves to the last commit with a fast-forward — which moves the branch and the working tree
 * together, and refuses (changing nothing) if the user's own uncommitted edits are in the way (the
 * fast-forward's own output, a post-merge hook's included, goes to stderr). git's automatic
 * maintenance runs once at the end of the run (forgetTaskBranches), not after each merge.
 */
const MERGE_SCRIPT = `mark=$1
head=$2
cur=$2
shift 2
while [ "$#" -ge 3 ]; do
  tip=$1
  msg=$2
  check=$3
  shift 3
  if [ "$check" = 1 ] && git merge-base --is-ancestor "$tip" "$cur"; then
    printf '%s merged\n' "$mark"
    continue
  fi
  out=$(git merge-tree --write-tree --name-only "$cur" "$tip")
  code=$?
  if [ "$code" -ne 0 ]; then
    printf '%s conflict %s\n%s\n' "$mark" "$code" "$out"
    continue
  fi
  if ! commit=$(git commit-tree "$out" -p "$cur" -p "$tip" -m "$msg"); then
    printf '%s failed\n' "$mark"
    continue
  fi
  cur=$commit
  printf '%s merged %s\n' "$mark" "$commit"
done
if [ "$cur" != "$head" ]; then
  git -c maintenance.auto=false merge --ff-only --quiet "$cur" >&2
fi`

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
