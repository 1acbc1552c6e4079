/**
 * The project's repository as parallel runs use it: the branch tasks start from and merge back into
 * (the one checked out in the workspace), and the folder holding one git worktree per task.
 */
import { appendFile, mkdir, readFile, realpath } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { git, gitOk } from './git.js'

export interface ProjectRepo {
  /** Top level of the repository (real path); merges happen in its working tree. */
  top: string
  /** Its git directory (absolute): where HEAD is read from. */
  gitDir: string
  /** The directory holding the refs all worktrees share (absolute; the git directory unless linked). */
  commonDir: string
  /** The workspace's place inside the repository ('' at the top level); task workspaces keep it. */
  prefix: string
  /** The project branch: checked out in the workspace, where tasks start and merge back. */
  branch: string
  /** Where task worktrees live: `<top>/.penguin-worktrees` unless the caller said otherwise. */
  worktrees: string
  /** Commit identity when the user has none configured (else empty: theirs is used). */
  identity: NodeJS.ProcessEnv
}

/** Folder (in the repository's top level) that holds task worktrees; git is told to ignore it. */
export const WORKTREES_DIR = '.penguin-worktrees'

/** Why a parallel run cannot use the workspace's repository; the message says what to do. */
export class RepositoryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RepositoryError'
  }
}

const FALLBACK_IDENTITY: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'Penguin',
  GIT_AUTHOR_EMAIL: 'penguin@localhost',
  GIT_COMMITTER_NAME: 'Penguin',
  GIT_COMMITTER_EMAIL: 'penguin@localhost',
}

/**
 * Checks that `workspace` is in a git repository on a branch with a commit and no uncommitted
 * changes to tracked files (a merge would mix them with the tasks' work), and makes git ignore the
 * worktrees folder. Throws RepositoryError otherwise.
 */
export async function openProjectRepo(
  workspace: string,
  options: { worktreesDir?: string } = {},
): Promise<ProjectRepo> {
  // One git call for where things are; HEAD is read from the git directory rather than asked for.
  const inside = await git(workspace, [
    'rev-parse',
    '--show-toplevel',
    '--show-prefix',
    '--absolute-git-dir',
    '--git-common-dir',
    '--git-path',
    'info/exclude',
  ])
  if (inside.code !== 0)
    throw new RepositoryError(
      `parallel runs put each task in a git worktree, but ${workspace} is not in a git repository (run git init and commit first)`,
    )
  const [topLine = '', prefix = '', gitDir = '', commonLine = '', excludeLine = ''] =
    inside.stdout.split('\n')
  // The checks that remain are independent: at once.
  const [top, branch, hasCommit, dirty, named] = await Promise.all([
    realpath(topLine.trim()),
    checkedOutBranch(gitDir.trim()),
    git(workspace, ['rev-parse', '--verify', '--quiet', 'HEAD']).then((result) => result.code === 0),
    // Porcelain lines are `XY path`: keep their leading space (an unstaged change is ` M path`).
    gitOk(workspace, ['status', '--porcelain', '--untracked-files=no']).then((out) => out.trimEnd()),
    git(workspace, ['config', 'user.email']),
  ])
  if (!branch)
    throw new RepositoryError(
      `parallel runs merge tasks back into the checked-out branch, but ${top} has a detached HEAD (check out a branch first)`,
    )
  if (!hasCommit)
    throw new RepositoryError(
      `parallel runs start tasks from the branch's last commit, but ${branch} in ${top} has no commit yet`,
    )
  if (dirty)
    throw new RepositoryError(
      `${top} has uncommitted changes (${dirty
        .split('\n')
        .slice(0, 5)
        .map((line) => line.slice(3))
        .join(', ')}); tasks start from the last commit and merge back into it: commit or stash them first`,
    )
  const worktrees = resolve(top, options.worktreesDir ?? WORKTREES_DIR)
  await mkdir(worktrees, { recursive: true })
  await ignoreInRepo(top, worktrees, resolve(workspace, excludeLine.trim()))
  return {
    top,
    gitDir: gitDir.trim(),
    commonDir: resolve(workspace, commonLine.trim()),
    prefix: prefix.trim().replace(/\/$/, ''),
    branch,
    worktrees,
    identity: named.code === 0 && named.stdout.trim() ? {} : FALLBACK_IDENTITY,
  }
}

/**
 * The branch checked out where this git directory's HEAD points (`ref: refs/heads/<name>`), read
 * from the file: no git process for it. Undefined for a detached HEAD.
 */
export async function checkedOutBranch(gitDir: string): Promise<string | undefined> {
  const head = await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')
  if (head.startsWith('ref: refs/heads/') && !head.includes('.invalid'))
    return head.trim().slice('ref: refs/heads/'.length)
  if (/^[0-9a-f]{40,64}\s*$/.test(head)) return undefined
  // Not a plain file git keeps (the reftable format's placeholder, an unreadable HEAD): ask git.
  const asked = await git(gitDir, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  return asked.code === 0 ? asked.stdout.trim() : undefined
}

/**
 * The commits branches point at: each read from its loose ref file (refs just written are loose),
 * and one `git rev-parse` for those that are packed. Throws when a branch does not exist.
 */
export async function refCommits(repo: ProjectRepo, branches: readonly string[]): Promise<string[]> {
  const loose = await Promise.all(
    branches.map((name) =>
      readFile(join(repo.commonDir, 'refs', 'heads', name), 'utf8').then(
        (text) => (/^[0-9a-f]{40,64}$/.test(text.trim()) ? text.trim() : undefined),
        () => undefined,
      ),
    ),
  )
  if (loose.every((sha) => sha !== undefined)) return loose as string[]
  const asked = (
    await gitOk(repo.top, ['rev-parse', ...branches.map((name) => `refs/heads/${name}^{commit}`)])
  )
    .trim()
    .split('\n')
  return branches.map((_, index) => loose[index] ?? asked[index] ?? '')
}

/** Adds the worktrees folder to `.git/info/exclude` (the local ignore list) when it lies inside. */
async function ignoreInRepo(top: string, worktrees: string, excludePath: string): Promise<void> {
  const rel = relative(top, worktrees)
  if (!rel || rel.startsWith('..')) return
  const entry = `/${rel.split('\\').join('/')}/`
  const current = await readFile(excludePath, 'utf8').catch(() => '')
  if (current.split('\n').some((line) => line.trim() === entry)) return
  await mkdir(dirname(excludePath), { recursive: true })
  await appendFile(excludePath, `${current && !current.endsWith('\n') ? '\n' : ''}${entry}\n`)
}

/** Where a task's worktree lives, and its branch. */
export function taskBranch(taskId: number): string {
  return `penguin/task-${taskId}`
}

export function taskWorktreeDir(repo: ProjectRepo, taskId: number): string {
  return join(repo.worktrees, `task-${taskId}`)
}
