/**
 * A project's live state from the server-wide event stream: task records as project events carry
 * them, what each task's agent is doing, verify results, and whether a run is going. Pure.
 */
import type { ServerEvent, Task, TaskStatus } from '@penguin-ai/sdk'

export interface VerifyInfo {
  passed: boolean
  exitCode: number | null
  output: string
  timedOut: boolean
}

export interface ProjectLive {
  running: boolean
  runId?: string
  /** The last thing a run said (started, finished and why). */
  message?: string
  /** What the agent of each task in progress is doing, in a few words. */
  activity: Record<number, string>
  /** Verify results seen in this tab, by task. */
  verify: Record<number, VerifyInfo>
  /** Task records carried by events, applied over the fetched list until it is fetched again. */
  tasks: Record<number, Partial<Task> & { id: number }>
  /** Events that change tasks or the project: the page refetches after them. */
  changes: number
}

export function initialProjectLive(): ProjectLive {
  return { running: false, activity: {}, verify: {}, tasks: {}, changes: 0 }
}

type Data = Record<string, unknown>

export function projectLiveReducer(state: ProjectLive, event: ServerEvent, projectId: number): ProjectLive {
  const data = event.data as Data
  if (data.project_id !== projectId) return state
  const task = taskOf(data)
  switch (event.event) {
    case 'project.started':
      return {
        ...state,
        running: true,
        ...(typeof data.project_run_id === 'string' ? { runId: data.project_run_id } : {}),
        message: `Run started: ${typeof data.total === 'number' ? data.total : '?'} tasks to go.`,
        changes: state.changes + 1,
      }
    case 'task.started':
    case 'task.finished':
    case 'task.verifying': {
      if (!task) return { ...state, changes: state.changes + 1 }
      const activity = { ...state.activity }
      if (event.event === 'task.finished') delete activity[task.id]
      else
        activity[task.id] =
          event.event === 'task.verifying' ? `verifying: ${String(data.command ?? '')}` : 'starting…'
      const verify = { ...state.verify }
      const result = verifyOf(data.verify)
      if (result) verify[task.id] = result
      const status =
        event.event === 'task.finished' && typeof data.status === 'string'
          ? (data.status as TaskStatus)
          : task.status
      return {
        ...state,
        running: true,
        activity,
        verify,
        tasks: { ...state.tasks, [task.id]: { ...task, ...(status ? { status } : {}) } },
        changes: state.changes + 1,
      }
    }
    case 'task.role':
    case 'task.merged':
    case 'task.split': {
      // A role starting, a branch merged back, a task split into subtasks (the list changes).
      if (!task) return state
      const words =
        event.event === 'task.role'
          ? `${String(data.role ?? 'agent')}…`
          : event.event === 'task.merged'
            ? `merged ${String(data.branch ?? '')}`
            : 'split into subtasks'
      return {
        ...state,
        activity: { ...state.activity, [task.id]: words },
        changes: event.event === 'task.split' ? state.changes + 1 : state.changes,
      }
    }
    case 'task.created':
    case 'task.updated':
    case 'task.status_changed':
    case 'task.deleted':
    case 'dependency.added':
    case 'dependency.removed':
    case 'project.updated':
      // Another client (or server) changed the project: its record now, the board refetches.
      return {
        ...state,
        tasks: task && event.event !== 'task.deleted' ? { ...state.tasks, [task.id]: task } : state.tasks,
        changes: state.changes + 1,
      }
    case 'project.finished':
      return {
        ...state,
        running: false,
        activity: {},
        message: `Run ${String(data.status ?? 'finished')}${typeof data.message === 'string' ? `: ${data.message}` : '.'}`,
        changes: state.changes + 1,
      }
    default:
      return agentActivity(state, event, data)
  }
}

/** Engine events of task agents (they carry `task_id`): a few words on what the agent does. */
function agentActivity(state: ProjectLive, event: ServerEvent, data: Data): ProjectLive {
  const taskId = data.task_id
  if (typeof taskId !== 'number') return state
  let words: string | undefined
  if (event.event === 'tool.started') {
    const tool = String(data.tool ?? 'tool')
    const title = typeof data.title === 'string' ? data.title : ''
    words = `${tool}${title && title !== tool ? ` ${title}` : ''}`
  } else if (event.event === 'text.delta' || event.event === 'turn.started') words = 'thinking…'
  else if (event.event === 'permission.asked') words = 'waiting for permission'
  if (words === undefined || state.activity[taskId] === words) return state
  return { ...state, activity: { ...state.activity, [taskId]: words } }
}

function taskOf(data: Data): (Partial<Task> & { id: number }) | undefined {
  const task = data.task
  if (typeof task !== 'object' || task === null) return undefined
  const id = (task as Data).id
  return typeof id === 'number' ? (task as Partial<Task> & { id: number }) : undefined
}

function verifyOf(value: unknown): VerifyInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Data
  return {
    passed: v.passed === true,
    exitCode:
      typeof (v.exit_code ?? v.exitCode) === 'number' ? ((v.exit_code ?? v.exitCode) as number) : null,
    output: typeof v.output === 'string' ? v.output : '',
    timedOut: (v.timed_out ?? v.timedOut) === true,
  }
}

/** The fetched tasks with what events said since (an event's record wins until the next fetch). */
export function mergeTasks(fetched: readonly Task[], live: ProjectLive['tasks']): Task[] {
  return fetched.map((task) => {
    const update = live[task.id]
    if (!update) return task
    return Date.parse(update.updated_at ?? '') >= Date.parse(task.updated_at) || !update.updated_at
      ? ({ ...task, ...pickKnown(update) } as Task)
      : task
  })
}

/** Only the fields the API's Task has (events carry the store's record, converted to snake_case). */
function pickKnown(update: Partial<Task>): Partial<Task> {
  const out: Partial<Task> = {}
  const keys: (keyof Task)[] = [
    'status',
    'title',
    'tokens_used',
    'cost_usd',
    'result_summary',
    'failure_reason',
    'started_at',
    'finished_at',
    'updated_at',
  ]
  for (const key of keys) {
    if (update[key] !== undefined) (out as Record<string, unknown>)[key] = update[key]
  }
  return out
}
