/**
 * Which task a project run takes next, and what it reports when none is ready: pure functions of
 * the project's tasks.
 */
import type { Task, TaskStatus } from '@penguin-ai/store'
import type { ProjectRunStatus } from './types.js'

export const PROGRESSED = new Set<TaskStatus>(['done', 'review', 'failed', 'blocked'])
const FINISHED = new Set<TaskStatus>(['done', 'cancelled'])

/**
 * The next ready task that can be worked on. A task with subtasks is a container: it waits until
 * every subtask is finished and is then completed without an agent.
 */
export function pickNext(ready: Task[], all: Task[]): { task: Task; container: boolean } | undefined {
  const children = new Map<number, Task[]>()
  for (const task of all) {
    if (task.parentId === null) continue
    const list = children.get(task.parentId) ?? []
    list.push(task)
    children.set(task.parentId, list)
  }
  for (const task of ready) {
    const kids = children.get(task.id)
    if (!kids) return { task, container: false }
    if (kids.every((kid) => FINISHED.has(kid.status))) return { task, container: true }
  }
  return undefined
}

export function whyNothingIsReady(all: Task[]): [ProjectRunStatus, string] {
  const counts = countByStatus(all)
  const open = counts.pending + counts.in_progress + counts.blocked
  if (open === 0 && counts.failed === 0) {
    return counts.review > 0
      ? ['completed', `all tasks finished; ${counts.review} await review (penguin task done <id> to accept)`]
      : ['completed', 'all tasks done']
  }
  const parts = [
    counts.failed ? `${counts.failed} failed` : '',
    counts.review ? `${counts.review} in review` : '',
    counts.blocked ? `${counts.blocked} blocked` : '',
  ].filter(Boolean)
  return [
    'stopped',
    `no task is ready: ${open} waiting on tasks that are not done${parts.length ? ` (${parts.join(', ')})` : ''}`,
  ]
}

export function countByStatus(tasks: Task[]): Record<TaskStatus, number> {
  const counts: Record<TaskStatus, number> = {
    pending: 0,
    in_progress: 0,
    review: 0,
    done: 0,
    failed: 0,
    blocked: 0,
    cancelled: 0,
  }
  for (const task of tasks) counts[task.status]++
  return counts
}
