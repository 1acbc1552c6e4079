import type { TaskStatus } from './types.js'

/**
 * Where a task may go from each status. `→ pending` from a finished status reopens the task;
 * `→ in_progress` additionally needs every dependency done (checked by the store).
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = Object.freeze({
  pending: ['in_progress', 'blocked', 'cancelled'],
  in_progress: ['review', 'done', 'failed', 'blocked', 'pending', 'cancelled'],
  review: ['done', 'failed', 'in_progress', 'pending'],
  failed: ['pending', 'in_progress', 'cancelled'],
  blocked: ['pending', 'cancelled'],
  done: ['pending'],
  cancelled: ['pending'],
})

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from]?.includes(to) ?? false
}

/** Statuses that end a piece of work: entering one sets `finishedAt`. */
export const FINISHED_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'cancelled']
