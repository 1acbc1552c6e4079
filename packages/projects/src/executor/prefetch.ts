/**
 * Worktrees made ahead in a parallel run. While every running task's agent waits for the model,
 * the machine is idle: the worktrees of the next ready tasks (as many as the run has slots) are made
 * then, so a task that starts when a slot frees finds its worktree ready instead of making it while
 * the tasks just finished commit, verify and merge. The task then starts from the project branch as
 * it is at its start (bringUpToDate). Worktrees no task took are removed at the end of the run.
 */
import type { ProjectRepo } from '../worktrees/repo.js'
import { discardWorktreeFolder, openTaskWorktree, type TaskWorktree } from '../worktrees/task-worktree.js'

export interface WorktreePrefetch {
  /** Starts making worktrees for the first of these tasks, up to `ahead` made and not taken. */
  prepare(taskIds: readonly number[]): void
  /** Whether `ahead` worktrees are made (or being made) and not taken. */
  readonly full: boolean
  /** Whether a worktree is made (or being made) for this task and not taken. */
  has(taskId: number): boolean
  /** The worktree made for this task (undefined when making it failed), or undefined if none was. */
  take(taskId: number): Promise<TaskWorktree | undefined> | undefined
  /** Removes the new worktrees no task took; returns their branches (to delete with the others). */
  discard(): Promise<string[]>
}

export function worktreePrefetch(repo: ProjectRepo, ahead: number): WorktreePrefetch {
  const made = new Map<number, Promise<TaskWorktree | undefined>>()
  return {
    prepare(taskIds) {
      for (const id of taskIds) {
        if (made.size >= ahead) return
        if (made.has(id)) continue
        // A failure is the task's own to meet when it starts (openTaskWorktree again, its error then).
        made.set(
          id,
          openTaskWorktree(repo, id).catch(() => undefined),
        )
      }
    },
    get full() {
      return made.size >= ahead
    },
    has(taskId) {
      return made.has(taskId)
    },
    take(taskId) {
      const tree = made.get(taskId)
      made.delete(taskId)
      return tree
    },
    async discard() {
      const trees = await Promise.all(made.values())
      made.clear()
      // An earlier run's worktree that was picked up (resumed) holds its work: it stays.
      const fresh = trees.filter((tree): tree is TaskWorktree => tree !== undefined && !tree.resumed)
      await Promise.all(fresh.map((tree) => discardWorktreeFolder(tree).catch(() => undefined)))
      return fresh.map((tree) => tree.branch)
    },
  }
}
