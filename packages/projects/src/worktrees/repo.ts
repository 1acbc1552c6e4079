/**
 * The project's repository as parallel runs use it: the branch tasks start from and merge back into
 * (the one checked out in the workspace), and the folder holding one git worktree per task.
 */
import { access, appendFile, mkdir, readFile, realpath } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { GitError, git, gitMessage, gitOk } from './git.js'

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
  /**
   * Task worktrees can be registered by writing git's worktree files (see addPlainWorktree in task-worktree.ts): no
   * post-checkout hook to run, no sparse checkout or per-worktree config to copy, refs in files.
   * Else `git worktree add` makes them.
   */
  plainWorktrees?: boolean
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
  // All git is asked at once (one round of processes): where things are and HEAD's commit, the
  // uncommitted changes, the config. HEAD's branch is read from the git directory.
  const where = [
    'rev-parse',
    '--show-toplevel',
    '--show-prefix',
    '--absolute-git-dir',
    '--git-common-dir',
    '--git-path',
    'info/exclude',
  ]
  const [asked, status, named] = await Promise.all([
    git(workspace, [...where, 'HEAD']),
    // Porcelain lines are `XY path`: keep their leading space (an unstaged change is ` M path`).
    git(workspace, ['status', '--porcelain', '--untracked-files=no']),
    // The identity, and what decides whether task worktrees can be plain (see ProjectRepo).
    git(workspace, ['config', '--get-regexp', WORKTREE_CONFIG]),
  ])
  // HEAD without a commit fails the whole call: asked again without it, to tell why.
  const hasCommit = asked.code === 0
  const inside = hasCommit ? asked : await git(workspace, where)
  if (inside.code !== 0)
    throw new RepositoryError(
      `parallel runs put each task in a git worktree, but ${workspace} is not in a git repository (run git init and commit first)`,
    )
  if (status.code !== 0) throw new GitError(`git status failed: ${gitMessage(status)}`)
  const dirty = status.stdout.trimEnd()
  const [topLine = '', prefix = '', gitDir = '', commonLine = '', excludeLine = ''] =
    inside.stdout.split('\n')
  const [top, branch] = await Promise.all([realpath(topLine.trim()), checkedOutBranch(gitDir.trim())])
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
  const commonDir = resolve(workspace, commonLine.trim())
  const config = configValues(named.code === 0 ? named.stdout : '')
  return {
    top,
    gitDir: gitDir.trim(),
    commonDir,
    prefix: prefix.trim().replace(/\/$/, ''),
    branch,
    worktrees,
    identity: config.get('user.email') ? {} : FALLBACK_IDENTITY,
    plainWorktrees: await plainWorktreesFit(commonDir, config),
  }
}

/** The config keys openProjectRepo reads (git prints them lowercased). */
const WORKTREE_CONFIG =
  '^(user\\.email|core\\.hookspath|core\\.sparsecheckout|extensions\\.worktreeconfig|extensions\\.refstorage)$'

/** `git config --get-regexp` lines (`key value`): the last value of each key, as git uses it. */
function configValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ')
    const key = space < 0 ? line : line.slice(0, space)
    if (key) values.set(key, space < 0 ? 'true' : line.slice(space + 1).trim())
  }
  return values
}

/**
 * Whether a task worktree is no more than its files, its branch and a checkout: no hook that
 * `git worktree add` would run (post-checkout), nothing it would copy (sparse-checkout patterns,
 * per-worktree config), refs kept in files (not reftable).
 */
async function plainWorktreesFit(commonDir: string, config: Map<string, string>): Promise<boolean> {
  if (config.has('core.hookspath') || config.has('extensions.worktreeconfig')) return false
  if (config.has('extensions.refstorage')) return false
  const sparse = config.get('core.sparsecheckout')
  if (sparse !== undefined && !/^(false|no|off|0)$/i.test(sparse)) return false
  const [hook, reftable] = await Promise.all([
    exists(join(commonDir, 'hooks', 'post-checkout')),
    exists(join(commonDir, 'reftable')),
  ])
  return !hook && !reftable
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
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
