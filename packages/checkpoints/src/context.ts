import type { GitTarget } from './git.js'

/** What every operation needs to know about one workspace and its shadow repository. */
export interface RepoContext {
  gitDir: string
  /** Real path of the workspace. */
  workspace: string
  maxFileBytes: number
  /** Workspace-relative directories that must never be snapshotted (Penguin's own data, when inside). */
  internalExcludes: string[]
}

/** The git target for calls that read or write the workspace; re-resolved so a later `git init` counts. */
export function workspaceTarget(context: RepoContext, excludesFile: string | undefined): GitTarget {
  return excludesFile
    ? { gitDir: context.gitDir, workTree: context.workspace, excludesFile }
    : { gitDir: context.gitDir, workTree: context.workspace }
}

/** The git target for calls that only touch the shadow repository's objects and refs. */
export function repoTarget(context: RepoContext): GitTarget {
  return { gitDir: context.gitDir }
}
