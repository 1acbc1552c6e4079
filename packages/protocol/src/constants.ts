/**
 * Names shared by the store, config, the server and its clients — kept here, with no dependency at
 * all, so that each list exists once.
 */

export const TASK_STATUSES = [
  'pending',
  'in_progress',
  'review',
  'done',
  'failed',
  'blocked',
  'cancelled',
] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const PROJECT_STATUSES = ['active', 'paused', 'completed', 'archived'] as const
export type ProjectStatus = (typeof PROJECT_STATUSES)[number]

/** An agent's name as agent files and API requests spell it. */
export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
