import type { TaskStatus } from '@penguin-ai/sdk'

/** Board columns, in the order work flows. */
export const STATUS_ORDER: readonly TaskStatus[] = [
  'pending',
  'in_progress',
  'review',
  'done',
  'failed',
  'blocked',
  'cancelled',
]

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
