import { type AsyncStore, asAsyncStore, type Project, type Task } from '@penguin-ai/store'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
import { closeProcessShells } from '../worktrees/process-runner.js'
import { openProjectRepo, type ProjectRepo } from '../worktrees/repo.js'
import {
  bringUpToDate,
  catchUp,
  discardWorktreeFolder,
  forgetTaskBranches,
  openTaskWorktree,
  type TaskWorktree,
} from '../worktrees/task-worktree.js'
import type { TaskPlace } from './attempt.js'
import { projectMeter, projectRemaining } from './budget.js'
import { type MergeQueue, mergeQueue } from './merge-queue.js'
import { createMutex } from './mutex.js'
import { type WorktreePrefetch, worktreePrefetch } from './prefetch.js'
import { storedText } from './redact.js'
import { countByStatus, PROGRESSED, pickNext, whyNothingIsReady } from './task-order.js'
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
  // Merges into the project branch (and verifying it) one at a time. Task worktrees are made
  // alongside them and each other: each is a new branch and worktree folder of its own.
  const exclusive = createMutex()
  // A merged task's worktree (its folder and its entry in the git directory) is deleted in the
  // background, off the tasks' path, with no git process; its branch goes at the end of the run, with
  // all the others in one script.
  const removing: Promise<void>[] = []
  const mergedBranches: string[] = []
  const cleanUp = (tree: TaskWorktree) => {
    if (!repo) return
    mergedBranches.push(tree.branch)
    removing.push(discardWorktreeFolder(tree).catch(() => undefined))
  }
  const running = new Map<number, Promise<TaskOutcome>>()
  // The tasks that hold one of the `limit` slots: those running, except — with more than one slot —
  // tasks whose agents are done and that only wait for their turn to merge. The next ready task
  // starts meanwhile, from the project branch as it is then (its dependencies are merged: done).
  const holding = new Set<number>()
  let wake: () => void = () => undefined
  let woken = new Promise<void>((resolve) => {
    wake = resolve
  })
  // Tasks whose agent has started a model turn (see onTurn below).
  const inTurn = new Set<number>()
  const mergeOnly =
    limit > 1
      ? (taskId: number) => {
          inTurn.delete(taskId)
          if (holding.delete(taskId)) wake()
        }
      : undefined
  let stopping: [ProjectRunStatus, string] | undefined
  let started_ = 0
  // With more than one slot, the next tasks' worktrees are made once every slot's agent waits for
  // the model (see prefetch.ts).
  const prefetch = repo && limit > 1 ? worktreePrefetch(repo, limit) : undefined
  let looking = false
  // How many tasks had finished when the ready tasks were last looked at and none was left to make a
  // worktree for. Tasks become ready as others finish (or are added, rarely mid-run): the next turns
  // look again only after the next task finished.
  let nothingNewAt = -1
  const onTurn = (taskId: number) => {
    inTurn.add(taskId)
    if (!prefetch || prefetch.full || looking || stopping || holding.size < limit) return
    if (nothingNewAt === outcomes.length) return
    for (const id of holding) if (!inTurn.has(id)) return
    looking = true
    const finished = outcomes.length
    void nextLeaves(store, project.id)
      .then((ids) => {
        const fresh = ids.filter((id) => !running.has(id) && !prefetch.has(id))
        if (fresh.length === 0) nothingNewAt = finished
        if (!stopping) prefetch.prepare(fresh)
      })
      .catch(() => undefined)
      .finally(() => {
        looking = false
      })
  }

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
        if (event.type === 'task.agent') {
          budget.observe(event.task.id, event.event)
          if (event.event.type === 'turn.started') onTurn(event.task.id)
        }
        emit(event)
      },
    },
    signal,
    exclusive,
    cleanUp,
    root,
    ...(mergeOnly ? { mergeOnly } : {}),
    ...(repo
      ? { worktrees: { repo, merge: mergeQueue(repo, exclusive), ...(prefetch ? { prefetch } : {}) } }
      : {}),
    ...(workspace ? { workspace } : {}),
    budgetSpent: () => budget.signal.aborted,
  }

  for (;;) {
    while (!stopping && holding.size < limit) {
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
      holding.add(current.id)
      running.set(current.id, runOne(context, project, current, next.container, index, total))
    }
    if (running.size === 0) {
      if (prefetch) mergedBranches.push(...(await prefetch.discard()))
      await Promise.all(removing)
      // Nothing runs any more: git forgets the merged worktrees and branches.
      if (repo) await forgetTaskBranches(repo, mergedBranches.splice(0)).catch(() => undefined)
      // The shells git and the verify commands ran from end with the run (their commands' CPU is then
      // counted in this process).
      await closeProcessShells()
      if (stopping) return end(...stopping)
      return end(...whyNothingIsReady(await store.listTasks(project.id)))
    }
    const outcome = await Promise.race([...running.values(), woken.then(() => undefined)])
    if (!outcome) {
      // A slot came free (its task waits to merge): look for the next ready task.
      woken = new Promise<void>((resolve) => {
        wake = resolve
      })
      continue
    }
    running.delete(outcome.task.id)
    holding.delete(outcome.task.id)
    inTurn.delete(outcome.task.id)
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
  /** The task has only its merge left: its slot is free for the next task (parallel runs). */
  mergeOnly?: (taskId: number) => void
  root: string
  /** A parallel run's: tasks work in worktrees of this repository and merge back through `merge`. */
  worktrees?: {
    repo: ProjectRepo
    merge: MergeQueue
    /** Worktrees made ahead for the next tasks. */
    prefetch?: WorktreePrefetch
  }
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
    if (context.worktrees) {
      const { repo, merge, prefetch } = context.worktrees
      const ahead = prefetch?.take(task.id)
      const tree = (ahead && (await ahead)) || (await openTaskWorktree(repo, task.id))
      if (ahead && !tree.resumed) await bringUpToDate(repo, tree)
      // Picked up again (a crash, a blocked task reopened): first catch up with the project branch.
      conflicts = tree.resumed ? await catchUp(repo, tree) : []
      const allowedPaths = [...(context.options.workspace?.allowedPaths ?? [])]
      const base = context.options.engine?.sandbox
      const sandbox = base ? base.withRoots([tree.workspace, ...allowedPaths]) : undefined
      if (sandbox) release = () => sandbox.close()
      place = {
        workspace: await openWorkspace(tree.workspace, { allowedPaths }),
        worktree: tree.dir,
        ...(sandbox ? { sandbox } : {}),
      }
      const mergeOnly = context.mergeOnly
      worktree = {
        repo,
        tree,
        merge,
        cleanUp: context.cleanUp,
        ...(mergeOnly ? { mergeOnly: () => mergeOnly(task.id) } : {}),
      }
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

function worktreeOptions(options: RunProjectOptions): { worktreesDir?: string } {
  return options.worktreesDir ? { worktreesDir: options.worktreesDir } : {}
}

function workRoot(options: RunProjectOptions, project: Project): string {
  return options.workspace?.root ?? project.workspace ?? options.defaultWorkspace ?? process.cwd()
}

/** The ready tasks an agent works on (not containers), in the order the run takes them. */
async function nextLeaves(store: AsyncStore, projectId: number): Promise<number[]> {
  const [ready, all] = await Promise.all([store.readyTasks(projectId), store.listTasks(projectId)])
  const parents = new Set(all.map((task) => task.parentId))
  return ready.filter((task) => !parents.has(task.id)).map((task) => task.id)
}

async function countable(store: AsyncStore, projectId: number): Promise<number> {
  return (await store.listTasks(projectId)).filter((task) => task.status !== 'cancelled').length
}
