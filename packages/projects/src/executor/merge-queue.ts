/**
 * A parallel run's merges into the project branch. They take the run's lock one batch at a time:
 * a task that asks while another's merge runs waits, and every task waiting when the lock comes
 * free is merged in the same git script (mergeTaskBranches: each its own merge commit, in the
 * order they asked, the workspace checked out once). Tasks finishing together wait for one merge
 * instead of one each.
 */
import { type MergeOutcome, type MergeRequest, mergeTaskBranches } from '../worktrees/merge.js'
import type { ProjectRepo } from '../worktrees/repo.js'

export type MergeQueue = (request: MergeRequest) => Promise<MergeOutcome>

interface Waiting {
  request: MergeRequest
  resolve: (outcome: MergeOutcome) => void
  reject: (error: unknown) => void
}

export function mergeQueue(
  repo: ProjectRepo,
  exclusive: <T>(work: () => Promise<T>) => Promise<T>,
): MergeQueue {
  let waiting: Waiting[] = []
  const mergeWaiting = async () => {
    const batch = waiting
    waiting = []
    try {
      const outcomes = await mergeTaskBranches(
        repo,
        batch.map((item) => item.request),
      )
      batch.forEach((item, index) => {
        const outcome = outcomes[index]
        if (outcome === undefined || outcome instanceof Error)
          item.reject(outcome ?? new Error('git merge failed: no outcome'))
        else item.resolve(outcome)
      })
    } catch (error) {
      for (const item of batch) item.reject(error)
    }
  }
  return (request) =>
    new Promise<MergeOutcome>((resolve, reject) => {
      waiting.push({ request, resolve, reject })
      // The first to wait queues the batch; the others join it until it takes the lock.
      if (waiting.length === 1) void exclusive(mergeWaiting)
    })
}
