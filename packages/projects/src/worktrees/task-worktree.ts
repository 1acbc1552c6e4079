/**
 * One task's worktree: created on `penguin/task-<id>` from the project branch, or picked up again
 * as it was left (an interrupted or crashed run, a task tried again), so no work is ever lost.
 */
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { GitError, git, gitMessage, gitOk, gitScript } from './git.js'
import { type ProjectRepo, refCommits, taskBranch, taskWorktreeDir } from './repo.js'

export interface TaskWorktree {
  taskId: number
  branch: string
  /** The worktree's top level. */
  dir: string
  /** Where the agent works: the worktree's copy of the project's workspace. */
  workspace: string
  /** True when an earlier run's worktree or branch was picked up again. */
  resumed: boolean
  /** The commit a new worktree was made from (the project branch's then). */
  base?: string
}

export async function openTaskWorktree(repo: ProjectRepo, taskId: number): Promise<TaskWorktree> {
  const branch = taskBranch(taskId)
  const dir = taskWorktreeDir(repo, taskId)
  const at = (resumed: boolean, base?: string): TaskWorktree => ({
    taskId,
    branch,
    dir,
    workspace: repo.prefix ? join(dir, repo.prefix) : dir,
    resumed,
    ...(base ? { base } : {}),
  })
  if (await isDirectory(dir)) {
    const head = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
    if (head.code === 0 && head.stdout.trim() === branch) return at(true)
  }
  // The usual case, a new task. It starts from the project branch's commit rather than its name:
  // git then never records an upstream for the new branch in .git/config, which would lock that
  // file — so worktrees can be made at the same time.
  const [start = repo.branch] = await refCommits(repo, [repo.branch]).catch(() => [repo.branch])
  // The branch's name when its commit could not be read: then no base is recorded.
  const base = /^[0-9a-f]{40,64}$/.test(start) ? start : undefined
  if (repo.plainWorktrees && base && (await addPlainWorktree(repo, branch, dir, base))) return at(false, base)
  const fresh = await git(repo.top, ['worktree', 'add', '--quiet', '-b', branch, dir, start])
  if (fresh.code === 0) return at(false, base)
  // Only "a branch named … already exists" means an earlier run's branch: any other failure (a
  // worktree being made beside this one, see worktreeRace) may still have created the branch.
  const resumed = /already exists/.test(fresh.stderr)
  if (!resumed && !worktreeRace(fresh)) throw new GitError(`git worktree add failed: ${gitMessage(fresh)}`)
  for (let attempt = 1; ; attempt++) {
    // Check the branch out again, after forgetting worktrees whose folders were deleted so that it
    // can be (a worktree still being made is locked, and prune leaves it alone).
    await gitOk(repo.top, ['worktree', 'prune'])
    const exists =
      (await git(repo.top, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).code === 0
    if (!exists && resumed) throw new GitError(`git worktree add failed: ${gitMessage(fresh)}`)
    const added = await git(
      repo.top,
      exists
        ? ['worktree', 'add', '--quiet', dir, branch]
        : ['worktree', 'add', '--quiet', '-b', branch, dir, start],
    )
    if (added.code === 0) return at(resumed)
    if (attempt >= MAX_WORKTREE_ATTEMPTS || !worktreeRace(added))
      throw new GitError(`git worktree add failed: ${gitMessage(added)}`)
  }
}

/**
 * A new task's worktree as `git worktree add -b <branch> <dir> <start>` makes it, with two git
 * commands instead of its four: the worktree's files in the git directory and its `.git` file are
 * written here, then one script creates the branch (only if it does not exist yet) and checks the
 * files out. The entry appears whole (made aside, then renamed into `worktrees/`): git commands
 * running meanwhile never read it half written. HEAD names the branch only once the checkout is
 * done, so a run that dies midway leaves no worktree that looks like a task's with its files
 * missing. False (nothing left behind) when git's own command must make it: the folder or the entry
 * exists, the branch exists (an earlier run's), or a step failed.
 */
async function addPlainWorktree(
  repo: ProjectRepo,
  branch: string,
  dir: string,
  start: string,
): Promise<boolean> {
  const entries = join(repo.commonDir, 'worktrees')
  const entry = join(entries, basename(dir))
  try {
    await mkdir(dir)
  } catch {
    return false
  }
  // What is left to undo on a failure: the entry while it is still aside, then once it is in place.
  let aside: string | undefined
  let registered = false
  try {
    await writeFile(join(dir, '.git'), `gitdir: ${entry}\n`)
    await mkdir(entries, { recursive: true })
    aside = await mkdtemp(join(repo.commonDir, 'penguin-worktree-'))
    await Promise.all([
      writeFile(join(aside, 'gitdir'), `${join(dir, '.git')}\n`),
      writeFile(join(aside, 'commondir'), '../..\n'),
      writeFile(join(aside, 'HEAD'), `${start}\n`),
    ])
    // Fails if the entry exists: git's own command then decides.
    await rename(aside, entry)
    aside = undefined
    registered = true
    const made = await gitScript(dir, PLAIN_WORKTREE_SCRIPT, [`refs/heads/${branch}`, start], repo.identity)
    if (made.code !== 0) throw new GitError(gitMessage(made))
    // Renamed over HEAD, as git writes it: readers see the old or the new file, whole.
    await writeFile(join(entry, 'HEAD.penguin'), `ref: refs/heads/${branch}\n`)
    await rename(join(entry, 'HEAD.penguin'), join(entry, 'HEAD'))
    return true
  } catch {
    if (aside) await rm(aside, { recursive: true, force: true })
    if (registered) await rm(entry, { recursive: true, force: true })
    await rm(dir, { recursive: true, force: true })
    return false
  }
}

/**
 * `$1` the new branch's ref, `$2` its commit. `update-ref` with an empty old value creates the
 * branch only if there is none (its reflog entry as `git branch` writes it); the checkout is
 * `git worktree add`'s own (`reset --hard`); if it fails, the branch goes again.
 */
const PLAIN_WORKTREE_SCRIPT = `git update-ref -m "branch: Created from $2" "$1" "$2" "" || exit 90
git reset --hard --quiet --no-recurse-submodules || { code=$?; git update-ref -d "$1" "$2"; exit "$code"; }`

/** How often a worktree is tried again when another one being made beside it got in the way. */
const MAX_WORKTREE_ATTEMPTS = 5

/**
 * `git worktree add` reads every registered worktree's metadata, and a worktree that another git
 * process is making at that moment is half written: git 2.39 then fails with "failed to read
 * .git/worktrees/<name>/commondir" (having already created the new branch). Seen with four made at
 * once, about 1 in 200; trying again after the other is done works.
 */
function worktreeRace(result: { stdout: string; stderr: string }): boolean {
  return /failed to read .*worktrees\/|worktrees\/[^/\s]+\/(?:commondir|gitdir|HEAD)|Unable to create .*\.lock/.test(
    result.stderr + result.stdout,
  )
}

/**
 * A new worktree made before its task started (see prefetch.ts) moves to the project branch's
 * commit as it is now, if tasks merged into it meanwhile: the task starts from the project branch as
 * it is when the task starts. Nothing is in the worktree yet to lose (no agent worked in it).
 */
export async function bringUpToDate(repo: ProjectRepo, tree: TaskWorktree): Promise<void> {
  const [head] = await refCommits(repo, [repo.branch])
  if (!head || !tree.base || head === tree.base) return
  await gitOk(tree.dir, ['reset', '--hard', '--quiet', '--no-recurse-submodules', head])
  tree.base = head
}

/** Commits everything the agent changed in the worktree; false when there was nothing to commit. */
export async function commitWorktree(
  repo: ProjectRepo,
  tree: TaskWorktree,
  message: string,
): Promise<boolean> {
  // Staging and committing as one process (see gitScript); git's automatic maintenance waits for
  // the end of the run (forgetTaskBranches) rather than following every task's commit.
  const committed = await gitScript(
    tree.dir,
    'git add -A && git -c maintenance.auto=false commit --quiet --no-verify -m "$1"',
    [message],
    repo.identity,
  )
  if (committed.code === 0) return true
  if (/nothing to commit|no changes added/.test(committed.stdout + committed.stderr)) return false
  throw new Error(`git commit failed: ${(committed.stderr || committed.stdout).trim()}`)
}

/**
 * A task picked up again catches up with the project branch: what its worktree holds is committed
 * first, then the project branch is merged in. Returns the files left with conflict markers (the
 * merge stays open; the next commit concludes it) — the agent resolves them.
 */
export async function catchUp(repo: ProjectRepo, tree: TaskWorktree): Promise<string[]> {
  await commitWorktree(repo, tree, `task ${tree.taskId}: work in progress`)
  if ((await git(tree.dir, ['merge-base', '--is-ancestor', repo.branch, 'HEAD'])).code === 0) return []
  const merged = await git(
    tree.dir,
    [
      '-c',
      'maintenance.auto=false',
      'merge',
      '--no-ff',
      '--no-edit',
      '-m',
      `Merge ${repo.branch} into ${tree.branch}`,
      repo.branch,
    ],
    repo.identity,
  )
  if (merged.code === 0) return []
  const files = (await gitOk(tree.dir, ['diff', '--name-only', '--diff-filter=U']))
    .split('\n')
    .filter(Boolean)
  if (files.length === 0) throw new Error(`git merge failed: ${(merged.stderr || merged.stdout).trim()}`)
  return files
}

/** The task's changes so far against where its branch left the project branch (commits + uncommitted). */
export async function worktreeDiff(
  repo: ProjectRepo,
  tree: TaskWorktree,
  maxChars = 30_000,
): Promise<string> {
  // One process (see gitScript): where the branch left the project branch, then everything staged
  // (new files included) against it.
  const shown = await gitScript(
    tree.dir,
    'base=$(git merge-base "$1" HEAD) && git add -A && git diff --cached --no-color --no-ext-diff "$base"',
    [repo.branch],
  )
  if (shown.code !== 0) throw new GitError(`git diff failed: ${gitMessage(shown)}`)
  const diff = shown.stdout
  if (diff.length <= maxChars) return diff
  return `${diff.slice(0, maxChars)}\n[… diff cut at ${maxChars} characters; read the files for the rest]`
}

/**
 * Deletes a merged task's worktree folder and its entry in the git directory (what
 * `git worktree prune` would remove once the folder is gone): files only, no git process
 * (`forgetTaskBranches` then deletes the branches, once for all of a run's tasks). The entry is
 * first moved out of `worktrees/` in one rename, so git commands running meanwhile see it whole or
 * not at all.
 */
export async function discardWorktreeFolder(tree: TaskWorktree): Promise<void> {
  const link = await readFile(join(tree.dir, '.git'), 'utf8').catch(() => '')
  await rm(tree.dir, { recursive: true, force: true })
  const entry = /^gitdir: (.+)$/m.exec(link)?.[1]?.trim()
  if (!entry || basename(dirname(entry)) !== 'worktrees') return
  // Only the entry that points back at this folder (else `git worktree prune` decides).
  const back = await readFile(join(entry, 'gitdir'), 'utf8').catch(() => '')
  if (back.trim() !== join(tree.dir, '.git')) return
  const aside = join(dirname(dirname(entry)), `penguin-gone-${basename(entry)}-${process.pid}-${Date.now()}`)
  try {
    await rename(entry, aside)
  } catch {
    return
  }
  await rm(aside, { recursive: true, force: true })
}

/**
 * Deletes these task branches (their merge commits keep the history) and gives git its automatic
 * maintenance, which the tasks' commits and merges skipped: one script however many tasks there
 * were. A branch git still sees checked out (a worktree entry discardWorktreeFolder left) is
 * deleted after `git worktree prune` forgot the worktrees whose folders are gone.
 */
export async function forgetTaskBranches(repo: ProjectRepo, branches: readonly string[]): Promise<void> {
  if (branches.length === 0) return
  await gitScript(
    repo.top,
    'git branch -D "$@" >/dev/null 2>&1 || { git worktree prune; git branch -D "$@"; }; git maintenance run --auto --quiet',
    [...branches],
  )
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
