import { diffCommits, patchCommits, patchCommitToIndex } from './changes.js'
import { DEFAULT_LABEL, resolveCommit } from './commits.js'
import type { RepoContext } from './context.js'
import { CheckpointError } from './errors.js'
import { invertChanges } from './parse-diff.js'
import { pruneSnapshots } from './prune.js'
import { applyRestore, planRestore } from './restore.js'
import { serialize } from './serialize.js'
import {
  DEFAULT_MAX_FILE_BYTES,
  ensureRepository,
  prepareRepository,
  requireGit,
  resolveWorkspace,
} from './setup.js'
import { stageWorkspace } from './stage.js'
import type { FileChange, ShadowRepo, ShadowRepoOptions } from './types.js'

/** Opens (creating on first use) the shadow repository that holds `options.workspace`'s snapshots. */
export async function openShadowRepo(options: ShadowRepoOptions): Promise<ShadowRepo> {
  const workspace = await resolveWorkspace(options.workspace)
  await requireGit()
  const { gitDir, internalExcludes } = await prepareRepository(options.dataDir, workspace)
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  return new GitShadowRepo({ gitDir, workspace, maxFileBytes, internalExcludes })
}

class GitShadowRepo implements ShadowRepo {
  readonly gitDir: string
  readonly workspace: string
  readonly #context: RepoContext

  constructor(context: RepoContext) {
    this.#context = context
    this.gitDir = context.gitDir
    this.workspace = context.workspace
  }

  snapshot(label?: string): Promise<string> {
    // Staging creates the repository itself on first use (in the same child process as its listing).
    return serialize(this.gitDir, async () => {
      const commit = await stageWorkspace(this.#context, label?.trim() ? label : DEFAULT_LABEL)
      return commit as string
    })
  }

  diff(from: string, to?: string): Promise<FileChange[]> {
    return this.#exclusive(async () => {
      const fromCommit = await resolveCommit(this.#context, from)
      if (to !== undefined)
        return diffCommits(this.#context, fromCommit, await resolveCommit(this.#context, to))
      // "Snapshot → workspace" is the restore plan read backwards, so diff and restore never disagree.
      return invertChanges((await planRestore(this.#context, fromCommit)).changes)
    })
  }

  patch(from: string, to?: string): Promise<string> {
    return this.#exclusive(async () => {
      const fromCommit = await resolveCommit(this.#context, from)
      if (to !== undefined)
        return patchCommits(this.#context, fromCommit, await resolveCommit(this.#context, to))
      const plan = await planRestore(this.#context, fromCommit)
      return patchCommitToIndex(this.#context, fromCommit, plan.blocked)
    })
  }

  planRestore(commit: string): Promise<FileChange[]> {
    return this.#exclusive(async () => {
      const resolved = await resolveCommit(this.#context, commit)
      return (await planRestore(this.#context, resolved)).changes
    })
  }

  restore(commit: string): Promise<FileChange[]> {
    return this.#exclusive(async () => {
      const resolved = await resolveCommit(this.#context, commit)
      const plan = await planRestore(this.#context, resolved)
      await applyRestore(this.#context, resolved, plan)
      return plan.changes
    })
  }

  prune(keep: string[]): Promise<void> {
    return this.#exclusive(async () => {
      const resolved = new Set<string>()
      // An id that no longer resolves (pruned earlier, repository recreated) has nothing left to keep.
      for (const id of keep) {
        const commit = await resolveCommit(this.#context, id).catch((error: unknown) => {
          // Anything else (git failing) must stop the prune: an empty keep set would drop everything.
          if (error instanceof CheckpointError && error.code === 'unknown_commit') return undefined
          throw error
        })
        if (commit) resolved.add(commit)
      }
      await pruneSnapshots(this.#context, resolved)
    })
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    return serialize(this.gitDir, async () => {
      await ensureRepository(this.gitDir)
      return task()
    })
  }
}
