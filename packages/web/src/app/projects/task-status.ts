import type { TaskStatus } from '@penguin-ai/sdk'

/** Always shown, even when empty (the others only when a task is in them). */
export const MAIN_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'pending',
  'in_progress',
  'review',
  'done',
  'failed',
])

export const STATUS_LABEL: Record<TaskStatus, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  review: 'Review',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
  cancelled: 'Cancelled',
}

/**
 * Board columns, in the order work flows (the labels' order). The labels are a `Record` over the
 * SDK's `TaskStatus` (printed from the protocol's `TASK_STATUSES`): a new status fails to compile here.
 */
export const STATUS_ORDER = Object.keys(STATUS_LABEL) as readonly TaskStatus[]
