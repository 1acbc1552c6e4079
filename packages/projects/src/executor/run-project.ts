import type { EngineEvent } from '@penguin-ai/engine'
import { type AsyncStore, asAsyncStore, type Project, type Task, type TaskStatus } from '@penguin-ai/store'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
import { openProjectRepo, type ProjectRepo } from '../worktrees/repo.js'
import {
  catchUp,
  discardWorktreeFolder,
  forgetTaskBranches,
  openTaskWorktree,
  type TaskWorktree,
} from '../worktrees/task-worktree.js'
import type { TaskPlace } from './attempt.js'
import { projectRemaining } from './budget.js'
import { createMutex } from './mutex.js'
import { storedText } from './redact.js'
import { workOnTask } from './task-work.js'
import type { ProjectRunResult, ProjectRunStatus, RunProjectOptions, TaskOutcome } from './types.js'
import { runVerify } from './verify.js'

export type {
  EngineSettings,
  ProjectRunEvent,
  ProjectRunResult,
  ProjectRunStatus,
  RunProjectOptions,
  TaskAgent,
  TaskOutcome,
} from './types.js'

/**
 * Works through a project's task graph, the highest-priority ready task first, until nothing is
 * ready, a budget is spent, the model fails or the signal aborts. One task at a time in the workspace
 * itself; with `parallel`, up to that many at once, each in its own git worktree, merged back when
 * verified.
 */
export async function runProject(options: RunProjectOptions): Promise<ProjectRunResult> {
  const store = asAsyncStore(options.store)
  const started = Date.now()
  const emit = options.onEvent ?? (() => undefined)
  let project = await store.requireProject(options.project)
  const root = workRoot(options, project)
  // Checked before anything changes: a repository that cannot take worktrees is the user's to fix.
  const repo =
    options.parallel === undefined ? undefined : await openProjectRepo(root, worktreeOptions(options))
  const limit = repo ? Math.max(1, Math.floor(options.parallel ?? 1)) : 1
  const reset = await store.resetStaleTasks(project.id)
  const outcomes: TaskOutcome[] = []
  emit({
    type: 'project.started',
    project,
    reset,
    total: await countable(store, project.id),
    ...(repo ? { parallel: limit } : {}),
  })
  const workspace = repo ? undefined : (options.workspace ?? (await openWorkspace(root)))

  // Tasks running alongside each other can spend the project's budget together: its meter stops them.
  const budget = projectMeter(store, project.id, limit > 1)
  const signal = options.signal ? AbortSignal.any([options.signal, budget.signal]) : budget.signal
  const exclusive = createMutex()
  // A merged task's worktree folder is deleted in the background, off the tasks' path, with no git
  // process; git forgets those worktrees and their branches once, at the end of the run.
  const removing: Promise<void>[] = []
  const mergedBranches: string[] = []
  const cleanUp = (tree: TaskWorktree) => {
    if (!repo) return
    mergedBranches.push(tree.branch)
    removing.push(discardWorktreeFolder(tree).catch(() => undefined))
  }
  const running = new Map<number, Promise<TaskOutcome>>()
  let stopping: [ProjectRunStatus, string] | undefined
  let started_ = 0

  const end = async (status: ProjectRunStatus, message: string): Promise<ProjectRunResult> => {
    const result: ProjectRunResult = {
      status,
      message,
      outcomes,
      counts: countByStatus(await store.listTasks(project.id)),
      tokens: outcomes.reduce((sum, outcome) => sum + outcome.tokens, 0),
      costUsd: outcomes.reduce((sum, outcome) => sum + outcome.costUsd, 0),
      durationMs: Date.now() - started,
    }
    emit({ type: 'project.finished', ...result })
    return result
  }

  const context: RunContext = {
    options: {
      ...options,
      onEvent: (event) => {
        if (event.type === 'task.agent') budget.observe(event.task.id, event.event)
        emit(event)
      },
    },
    signal,
    exclusive,
    cleanUp,
    root,
    ...(repo ? { repo } : {}),
    ...(workspace ? { workspace } : {}),
    budgetSpent: () => budget.signal.aborted,
  }

  for (;;) {
    while (!stopping && running.size < limit) {
      if (options.signal?.aborted) {
        stopping = ['aborted', 'interrupted']
        break
      }
      project = await store.requireProject(project.id)
      const exhausted =
        projectRemaining(project).exhausted ?? (budget.signal.aborted ? 'budget spent' : undefined)
      if (exhausted) {
        stopping = ['budget_exhausted', `project stopped: ${exhausted}`]
        break
      }
      if (options.maxTasks !== undefined && started_ >= options.maxTasks) {
        stopping = ['stopped', `stopped after ${started_} task${started_ === 1 ? '' : 's'} (--max-tasks)`]
        break
      }
      const all = await store.listTasks(project.id)
      const next = pickNext(await store.readyTasks(project.id), all)
      if (!next) break
      // A task that finished but whose outcome is not taken yet is both progressed and running: once.
      const index = all.filter((task) => PROGRESSED.has(task.status) || running.has(task.id)).length + 1
      const total = all.filter((task) => task.status !== 'cancelled').length
      // The task is in progress before the next one is picked, so no task starts twice.
      const current = await store.transitionTask(next.task.id, 'in_progress')
      started_++
      running.set(current.id, runOne(context, project, current, next.container, index, total))
    }
    if (running.size === 0) {
      await Promise.all(removing)
      // Deleting branches locks .git/config: with the other repository work, one at a time.
      if (repo)
        await exclusive(() => forgetTaskBranches(repo, mergedBranches.splice(0))).catch(() => undefined)
      if (stopping) return end(...stopping)
      return end(...whyNothingIsReady(await store.listTasks(project.id)))
    }
    const outcome = await Promise.race(running.values())
    running.delete(outcome.task.id)
    outcomes.push(outcome)
    emit({ type: 'task.finished', ...outcome })
    if (outcome.code === 'interrupted')
      stopping ??= ['aborted', 'interrupted; the task in progress went back to pending']
    // A model that cannot be called (auth, unreachable, …) would fail every later task the same way.
    if (outcome.code === 'agent_failed' || outcome.code === 'error')
      stopping ??= ['failed', `stopped: ${outcome.reason}`]
  }
}

interface RunContext {
  options: RunProjectOptions
  signal: AbortSignal
  exclusive: <T>(work: () => Promise<T>) => Promise<T>
  cleanUp: (tree: TaskWorktree) => void
  root: string
  repo?: ProjectRepo
  workspace?: Workspace
  budgetSpent: () => boolean
}

/** One task, already in progress, to its end; never rejects (a failure becomes the task's outcome). */
async function runOne(
  context: RunContext,
  project: Project,
  task: Task,
  container: boolean,
  index: number,
  total: number,
): Promise<TaskOutcome> {
  const store = asAsyncStore(context.options.store)
  const started = Date.now()
  let release: (() => Promise<void>) | undefined
  try {
    if (container) return await completeContainer(context, project, task, index, total)
    let place: TaskPlace
    let worktree: Parameters<typeof workOnTask>[0]['worktree']
    let conflicts: string[] = []
    if (context.repo) {
      const repo = context.repo
      // Worktrees and branches are made, merged and removed one at a time (git's own locks).
      const tree = await context.exclusive(() => openTaskWorktree(repo, task.id))
      // Picked up again (a crash, a blocked task reopened): first catch up with the project branch.
      conflicts = tree.resumed ? await catchUp(context.repo, tree) : []
      const allowedPaths = [...(context.options.workspace?.allowedPaths ?? [])]
      const base = context.options.engine?.sandbox
      const sandbox = base ? base.withRoots([tree.workspace, ...allowedPaths]) : undefined
      if (sandbox) release = () => sandbox.close()
      place = {
        workspace: await openWorkspace(tree.workspace, { allowedPaths }),
        worktree: tree.dir,
        ...(sandbox ? { sandbox } : {}),
      }
      worktree = { repo: context.repo, tree, exclusive: context.exclusive, cleanUp: context.cleanUp }
      context.options.onEvent?.({
        type: 'task.started',
        task,
        index,
        total,
        worktree: tree.dir,
        branch: tree.branch,
      })
    } else {
      const sandbox = context.options.engine?.sandbox
      place = { workspace: context.workspace as Workspace, ...(sandbox ? { sandbox } : {}) }
      context.options.onEvent?.({ type: 'task.started', task, index, total })
    }
    const outcome = await workOnTask({
      options: context.options,
      project,
      task,
      index,
      total,
      place,
      signal: context.signal,
      ...(worktree ? { worktree } : {}),
      ...(conflicts.length ? { conflicts } : {}),
      projectBudgetSpent: context.budgetSpent,
    })
    // A task split into subtasks has nothing of its own in its worktree.
    if (outcome.code === 'split' && worktree) context.cleanUp(worktree.tree)
    return outcome
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    let current = (await store.getTask(task.id)) ?? task
    if (current.status === 'in_progress')
      current = await store.transitionTask(task.id, 'failed', {
        summary: storedText(context.options)(message),
        reason: 'error',
      })
    return {
      task: current,
      index,
      total,
      status: current.status,
      tokens: 0,
      costUsd: 0,
      durationMs: Date.now() - started,
      reason: message,
      code: 'error',
    }
  } finally {
    await release?.()
  }
}

const PROGRESSED = new Set<TaskStatus>(['done', 'review', 'failed', 'blocked'])
const FINISHED = new Set<TaskStatus>(['done', 'cancelled'])

/**
 * The next ready task that can be worked on. A task with subtasks is a container: it waits until
 * every subtask is finished and is then completed without an agent.
 */
function pickNext(ready: Task[], all: Task[]): { task: Task; container: boolean } | undefined {
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

function whyNothingIsReady(all: Task[]): [ProjectRunStatus, string] {
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

/**
 * A task whose subtasks are all finished: verified (in the workspace, where the subtasks were merged)
 * if it can be, else done with their summaries.
 */
async function completeContainer(
  context: RunContext,
  project: Project,
  task: Task,
  index: number,
  total: number,
): Promise<TaskOutcome> {
  const store = asAsyncStore(context.options.store)
  const started = Date.now()
  context.options.onEvent?.({ type: 'task.started', task, index, total })
  const kids = await store.listTasks(project.id, { parentId: task.id })
  const summary = `subtasks finished: ${kids.map((kid) => `${kid.id} ${kid.title} (${kid.status})`).join('; ')}`
  const spent = { tokens: 0, costUsd: 0, index, total }
  if (!task.verifyCommand) {
    const done = await store.transitionTask(task.id, 'done', { summary })
    return { ...spent, task: done, status: 'done', durationMs: Date.now() - started }
  }
  const command = task.verifyCommand
  context.options.onEvent?.({ type: 'task.verifying', task, command })
  const sandbox = context.options.engine?.sandbox
  const verify = await context.exclusive(() =>
    runVerify(command, context.root, {
      ...(context.options.verifyTimeoutMs ? { timeoutMs: context.options.verifyTimeoutMs } : {}),
      ...(context.options.signal ? { signal: context.options.signal } : {}),
      ...(sandbox ? { sandbox } : {}),
    }),
  )
  if (verify.passed) {
    const done = await store.transitionTask(task.id, 'done', { summary })
    return { ...spent, task: done, status: 'done', verify, durationMs: Date.now() - started }
  }
  const why = verify.timedOut
    ? 'verify command timed out'
    : `verify command exited ${verify.exitCode ?? 'abnormally'}`
  const failed = await store.transitionTask(task.id, 'failed', {
    summary: storedText(context.options)(`${why}: ${command}\n${verify.output}`),
    reason: 'verify_failed',
  })
  return {
    ...spent,
    task: failed,
    status: 'failed',
    reason: why,
    code: 'verify_failed',
    verify,
    durationMs: Date.now() - started,
  }
}

/**
 * Live spending of the tasks in flight on top of what the store has: once the project's token or
 * cost budget is reached, `signal` aborts every task's agent. One task at a time needs none: its
 * engine's budget is what the project has left.
 */
function projectMeter(store: AsyncStore, projectId: number, enabled: boolean) {
  const controller = new AbortController()
  const live = new Map<number, { tokens: number; costUsd: number }>()
  /** Compares what the store has plus what is in flight with the budget (after each usage event). */
  const check = async () => {
    const project = await store.requireProject(projectId)
    if (project.budgetTokens === null && project.budgetUsd === null) return
    let tokens = project.tokensUsed
    let costUsd = project.costUsd
    for (const spent of live.values()) {
      tokens += spent.tokens
      costUsd += spent.costUsd
    }
    const over =
      (project.budgetTokens !== null && tokens >= project.budgetTokens) ||
      (project.budgetUsd !== null && costUsd >= project.budgetUsd)
    if (over) controller.abort('project budget spent')
  }
  return {
    signal: controller.signal,
    observe(taskId: number, event: EngineEvent) {
      if (event.type === 'run.finished') {
        live.delete(taskId)
        return
      }
      if (!enabled || event.type !== 'usage' || controller.signal.aborted) return
      live.set(taskId, { tokens: event.total.totalTokens, costUsd: event.totalCost })
      // A store that cannot be read now is read again at the next usage event.
      check().catch(() => undefined)
    },
  }
}

function worktreeOptions(options: RunProjectOptions): { worktreesDir?: string } {
  return options.worktreesDir ? { worktreesDir: options.worktreesDir } : {}
}

function workRoot(options: RunProjectOptions, project: Project): string {
  return options.workspace?.root ?? project.workspace ?? options.defaultWorkspace ?? process.cwd()
}

async function countable(store: AsyncStore, projectId: number): Promise<number> {
  return (await store.listTasks(projectId)).filter((task) => task.status !== 'cancelled').length
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
