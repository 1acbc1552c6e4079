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
  const inside = await git(workspace, ['rev-parse', '--show-toplevel', '--show-prefix'])
  if (inside.code !== 0)
    throw new RepositoryError(
      `parallel runs put each task in a git worktree, but ${workspace} is not in a git repository (run git init and commit first)`,
    )
  const [topLine = '', prefix = ''] = inside.stdout.split('\n')
  const top = await realpath(topLine.trim())
  const head = await git(top, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  if (head.code !== 0)
    throw new RepositoryError(
      `parallel runs merge tasks back into the checked-out branch, but ${top} has a detached HEAD (check out a branch first)`,
    )
  const branch = head.stdout.trim()
  if ((await git(top, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code !== 0)
    throw new RepositoryError(
      `parallel runs start tasks from the branch's last commit, but ${branch} in ${top} has no commit yet`,
    )
  // Porcelain lines are `XY path`: keep their leading space (an unstaged change is ` M path`).
  const dirty = (await gitOk(top, ['status', '--porcelain', '--untracked-files=no'])).trimEnd()
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
  await ignoreInRepo(top, worktrees)
  const named = await git(top, ['config', 'user.email'])
  return {
    top,
    prefix: prefix.trim().replace(/\/$/, ''),
    branch,
    worktrees,
    identity: named.code === 0 && named.stdout.trim() ? {} : FALLBACK_IDENTITY,
  }
}

/** Adds the worktrees folder to `.git/info/exclude` (the local ignore list) when it lies inside. */
async function ignoreInRepo(top: string, worktrees: string): Promise<void> {
  const rel = relative(top, worktrees)
  if (!rel || rel.startsWith('..')) return
  const excludePath = resolve(top, (await gitOk(top, ['rev-parse', '--git-path', 'info/exclude'])).trim())
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
