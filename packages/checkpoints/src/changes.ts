import { type RepoContext, repoTarget, workspaceTarget } from './context.js'
import { git } from './git.js'
import { parseRawNumstat } from './parse-diff.js'
import type { FileChange } from './types.js'

const DIFF_FLAGS = ['-z', '--no-renames', '--no-ext-diff', '--no-textconv']

/** Changes from commit `from` to commit `to`. */
export async function diffCommits(context: RepoContext, from: string, to: string): Promise<FileChange[]> {
  const result = await git(repoTarget(context), [
    'diff-tree',
    '-r',
    ...DIFF_FLAGS,
    '--raw',
    '--numstat',
    from,
    to,
  ])
  return parseRawNumstat(result.stdout)
}

/**
 * Changes from the staged index (the workspace as it is now) to `commit`: exactly what restoring
 * `commit` would do. Call `stageWorkspace` first.
 */
export async function diffIndexToCommit(context: RepoContext, commit: string): Promise<FileChange[]> {
  const result = await git(workspaceTarget(context, undefined), [
    'diff-index',
    '--cached',
    '-R',
    ...DIFF_FLAGS,
    '--raw',
    '--numstat',
    commit,
  ])
  return parseRawNumstat(result.stdout)
}

const PATCH_FLAGS = ['--no-renames', '--no-ext-diff', '--no-textconv', '--no-color', '-p']

/** A unified diff from commit `from` to commit `to`. */
export async function patchCommits(context: RepoContext, from: string, to: string): Promise<string> {
  const result = await git(repoTarget(context), ['diff-tree', '-r', ...PATCH_FLAGS, from, to])
  return result.stdout.toString('utf8')
}

/** A unified diff from `commit` to the staged index, leaving out `hidden` paths. */
export async function patchCommitToIndex(
  context: RepoContext,
  commit: string,
  hidden: string[],
): Promise<string> {
  const pathspec = hidden.length ? ['--', '.', ...hidden.map((rel) => `:(exclude,literal)${rel}`)] : []
  const result = await git(workspaceTarget(context, undefined), [
    'diff-index',
    '--cached',
    ...PATCH_FLAGS,
    commit,
    ...pathspec,
  ])
  return result.stdout.toString('utf8')
}
