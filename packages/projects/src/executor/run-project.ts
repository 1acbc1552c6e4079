import {
  Engine,
  type EngineEvent,
  type EngineOptions,
  type RunOptions,
  type RunResult,
} from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import type { Project, Store, Task, TaskStatus } from '@penguin-ai/store'
import { createRedactor } from '@penguin-ai/telemetry/redact'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
import { projectRemaining, runAllowance } from './budget.js'
import { buildTaskPrompt } from './task-prompt.js'
import { runVerify, type VerifyResult } from './verify.js'

export type EngineSettings = Omit<EngineOptions, 'model' | 'workspace' | 'budget' | 'history'>

export interface RunProjectOptions {
  store: Store
  /** A project id or name. */
  project: number | string
  model: ResolvedModel
  /** Where agents work when the project has no workspace of its own. */
  defaultWorkspace?: string
  /**
   * The workspace agents work in, already opened with what config allows (extra directories). The
   * CLI and server build it from the project's workspace config; by default the project's workspace
   * (else `defaultWorkspace`) is opened with nothing extra.
   */
  workspace?: Workspace
  /** Tasks without a verify command go to `done` instead of `review`. */
  autoApprove?: boolean
  /** Stop after this many tasks. */
  maxTasks?: number
  verifyTimeoutMs?: number
  /** Passed to every task's engine: tools, policy, askPermission, autoApprove, stream, … */
  engine?: EngineSettings
  signal?: AbortSignal
  onEvent?: (event: ProjectRunEvent) => void
  /**
   * How a task's agent is created; by default a plain `Engine`. The CLI and server pass one that
   * binds the engine to a stored session, so every task run is a resumable, checkpointed session.
   */
  createAgent?: (options: EngineOptions, context: { project: Project; task: Task }) => Promise<TaskAgent>
  /**
   * Applied to the text a run stores (its final text and error, the task's summary, a failed
   * verify command's output) so secrets stay out of the database; by default the values of
   * credential-named variables of `process.env`, key shapes and URL passwords become `[REDACTED]`.
   */
  redact?: (text: string) => string
}

/** What runs one task: an engine, possibly recorded. */
export interface TaskAgent {
  run(prompt: string, options: RunOptions): Promise<RunResult>
  close(): void
}

async function plainAgent(options: EngineOptions): Promise<TaskAgent> {
  const engine = new Engine(options)
  return { run: (prompt, runOptions) => engine.run(prompt, runOptions), close: () => undefined }
}

export interface TaskOutcome {
  task: Task
  index: number
  total: number
  status: TaskStatus
  tokens: number
  costUsd: number
  durationMs: number
  /** Why it failed or went to review, in words. */
  reason?: string
  /** Machine-readable: budget_exceeded, max_iterations, agent_failed, verify_failed, interrupted. */
  code?: string
  verify?: VerifyResult
}

export type ProjectRunEvent =
  | { type: 'project.started'; project: Project; reset: Task[]; total: number }
  | { type: 'task.started'; task: Task; index: number; total: number }
  | { type: 'task.agent'; task: Task; event: EngineEvent }
  | { type: 'task.verifying'; task: Task; command: string }
  | ({ type: 'task.finished' } & TaskOutcome)
  | ({ type: 'project.finished' } & ProjectRunResult)

export type ProjectRunStatus = 'completed' | 'stopped' | 'budget_exhausted' | 'failed' | 'aborted'

export interface ProjectRunResult {
  status: ProjectRunStatus
  /** One sentence for the user: why the run ended. */
  message: string
  outcomes: TaskOutcome[]
  counts: Record<TaskStatus, number>
  tokens: number
  costUsd: number
  durationMs: number
}

/**
 * Works through a project's task graph: the highest-priority ready task first, one at a time, each
 * with a fresh engine, until nothing is ready, a budget is spent, the model fails or the signal aborts.
 */
export async function runProject(options: RunProjectOptions): Promise<ProjectRunResult> {
  const { store } = options
  const started = Date.now()
  const emit = (event: ProjectRunEvent) => options.onEvent?.(event)
  let project = store.requireProject(options.project)
  const reset = store.resetStaleTasks(project.id)
  const outcomes: TaskOutcome[] = []
  emit({ type: 'project.started', project, reset, total: countable(store, project.id) })

  const end = (status: ProjectRunStatus, message: string): ProjectRunResult => {
    const result: ProjectRunResult = {
      status,
      message,
      outcomes,
      counts: countByStatus(store.listTasks(project.id)),
      tokens: outcomes.reduce((sum, outcome) => sum + outcome.tokens, 0),
      costUsd: outcomes.reduce((sum, outcome) => sum + outcome.costUsd, 0),
      durationMs: Date.now() - started,
    }
    emit({ type: 'project.finished', ...result })
    return result
  }

  for (;;) {
    if (options.signal?.aborted) return end('aborted', 'interrupted')
    project = store.requireProject(project.id)
    const exhausted = projectRemaining(project).exhausted
    if (exhausted) return end('budget_exhausted', `project stopped: ${exhausted}`)
    if (options.maxTasks !== undefined && outcomes.length >= options.maxTasks)
      return end(
        'stopped',
        `stopped after ${outcomes.length} task${outcomes.length === 1 ? '' : 's'} (--max-tasks)`,
      )

    const all = store.listTasks(project.id)
    const next = pickNext(store.readyTasks(project.id), all)
    if (!next) return end(...whyNothingIsReady(all))

    const index = all.filter((task) => PROGRESSED.has(task.status)).length + 1
    const total = all.filter((task) => task.status !== 'cancelled').length
    const outcome = next.container
      ? await completeContainer(options, project, next.task, index, total)
      : await runTask(options, project, next.task, index, total)
    outcomes.push(outcome)
    emit({ type: 'task.finished', ...outcome })
    if (outcome.code === 'interrupted')
      return end('aborted', 'interrupted; the task in progress went back to pending')
    // A model that cannot be called (auth, unreachable, …) would fail every later task the same way.
    if (outcome.code === 'agent_failed') return end('failed', `stopped: ${outcome.reason}`)
  }
}

const PROGRESSED = new Set<TaskStatus>(['done', 'review', 'failed'])
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

async function runTask(
  options: RunProjectOptions,
  project: Project,
  task: Task,
  index: number,
  total: number,
): Promise<TaskOutcome> {
  const { store } = options
  const taskStarted = Date.now()
  const allowance = runAllowance(project, task)
  const current = store.transitionTask(task.id, 'in_progress')
  options.onEvent?.({ type: 'task.started', task: current, index, total })
  const root = workRoot(options, project)
  const run = store.startRun({ projectId: project.id, taskId: task.id, model: options.model.id })

  // The project's time budget aborts the run in flight; the user's signal aborts it too.
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let timedOut = false
  const timer =
    allowance.seconds !== undefined
      ? setTimeout(
          () => {
            timedOut = true
            controller.abort()
          },
          Math.max(0, allowance.seconds * 1000),
        )
      : undefined

  let result: RunResult
  try {
    const engineOptions: EngineOptions = {
      ...options.engine,
      model: options.model,
      workspace: options.workspace ?? (await openWorkspace(root)),
      budget: {
        ...(allowance.tokens !== undefined ? { maxTokens: allowance.tokens } : {}),
        ...(allowance.costUsd !== undefined ? { maxCostUsd: allowance.costUsd } : {}),
      },
    }
    const agent = await (options.createAgent ?? plainAgent)(engineOptions, { project, task: current })
    try {
      const dependencies = store.getDependencies(task.id)
      result = await agent.run(buildTaskPrompt(project, current, dependencies), {
        signal: controller.signal,
        onEvent: (event) => options.onEvent?.({ type: 'task.agent', task: current, event }),
      })
    } finally {
      agent.close()
    }
  } finally {
    if (timer) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }

  const durationMs = Date.now() - taskStarted
  const tokens = result.usage.totalTokens
  const redact = storedText(options)
  const runStatus = timedOut ? 'budget_exceeded' : result.status
  store.transaction(() => {
    store.finishRun(run.id, {
      status: runStatus,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cacheReadTokens: result.usage.cacheReadTokens,
      cacheWriteTokens: result.usage.cacheWriteTokens,
      costUsd: result.cost,
      turns: result.iterations,
      finalText: result.text ? redact(result.text) : null,
      error: result.error ? redact(result.error.message) : null,
    })
    store.addTaskUsage(task.id, { tokens, costUsd: result.cost, seconds: durationMs / 1000 })
    store.addProjectUsage(project.id, { tokens, costUsd: result.cost, seconds: durationMs / 1000 })
  })
  const spent = { tokens, costUsd: result.cost, durationMs, index, total }

  if (runStatus === 'aborted') {
    const back = store.transitionTask(task.id, 'pending', { reason: null })
    return { ...spent, task: back, status: 'pending', reason: 'interrupted', code: 'interrupted' }
  }
  if (runStatus !== 'completed') {
    const reason = failureReason(runStatus, result, allowance.limitedBy)
    const failed = store.transitionTask(task.id, 'failed', {
      summary: redact(result.text || reason.text),
      reason: reason.code,
    })
    return { ...spent, task: failed, status: 'failed', reason: reason.text, code: reason.code }
  }
  return settle(options, task, root, result.text, spent)
}

/** What a run stores passes through this: see `RunProjectOptions.redact`. */
function storedText(options: RunProjectOptions): (text: string) => string {
  return options.redact ?? createRedactor({ env: process.env }).text
}

/** After a completed agent run: verify, then done / failed / review. */
async function settle(
  options: RunProjectOptions,
  task: Task,
  root: string,
  summary: string,
  spent: Omit<TaskOutcome, 'task' | 'status'>,
): Promise<TaskOutcome> {
  const { store } = options
  const redact = storedText(options)
  if (task.verifyCommand) {
    options.onEvent?.({ type: 'task.verifying', task, command: task.verifyCommand })
    const verify = await runVerify(task.verifyCommand, root, {
      ...(options.verifyTimeoutMs ? { timeoutMs: options.verifyTimeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      // Verify commands run where the agent's commands run: in its sandbox, when it has one.
      ...(options.engine?.sandbox ? { sandbox: options.engine.sandbox } : {}),
    })
    if (verify.passed) {
      const done = store.transitionTask(task.id, 'done', { summary: redact(summary) || 'verified' })
      return { ...spent, task: done, status: 'done', verify }
    }
    const why = verify.timedOut
      ? 'verify command timed out'
      : `verify command exited ${verify.exitCode ?? 'abnormally'}`
    const failed = store.transitionTask(task.id, 'failed', {
      summary: redact(`${why}: ${task.verifyCommand}\n${verify.output}`),
      reason: 'verify_failed',
    })
    return { ...spent, task: failed, status: 'failed', reason: why, code: 'verify_failed', verify }
  }
  const to = options.autoApprove ? 'done' : 'review'
  const next = store.transitionTask(task.id, to, { summary: redact(summary) || null })
  return { ...spent, task: next, status: to, ...(to === 'review' ? { reason: 'no verify command' } : {}) }
}

/** A task whose subtasks are all finished: verified if it can be, else done with their summaries. */
async function completeContainer(
  options: RunProjectOptions,
  project: Project,
  task: Task,
  index: number,
  total: number,
): Promise<TaskOutcome> {
  const started = Date.now()
  const current = options.store.transitionTask(task.id, 'in_progress')
  options.onEvent?.({ type: 'task.started', task: current, index, total })
  const kids = options.store.listTasks(project.id, { parentId: task.id })
  const summary = `subtasks finished: ${kids.map((kid) => `${kid.id} ${kid.title} (${kid.status})`).join('; ')}`
  const root = workRoot(options, project)
  const spent = { tokens: 0, costUsd: 0, durationMs: 0, index, total }
  const outcome = await settle({ ...options, autoApprove: true }, current, root, summary, spent)
  return { ...outcome, durationMs: Date.now() - started }
}

function failureReason(
  status: RunResult['status'] | 'budget_exceeded',
  result: RunResult,
  limitedBy: 'task' | 'project' | 'none',
): { code: string; text: string } {
  switch (status) {
    case 'budget_exceeded':
      return {
        code: 'budget_exceeded',
        text: `budget_exceeded: the ${limitedBy === 'project' ? "project's" : "task's"} budget was spent`,
      }
    case 'max_iterations':
      return {
        code: 'max_iterations',
        text: `the agent reached its limit of ${result.iterations} model turns`,
      }
    default:
      return { code: 'agent_failed', text: `model error: ${result.error?.message ?? 'the agent failed'}` }
  }
}

function workRoot(options: RunProjectOptions, project: Project): string {
  return options.workspace?.root ?? project.workspace ?? options.defaultWorkspace ?? process.cwd()
}

function countable(store: Store, projectId: number): number {
  return store.listTasks(projectId).filter((task) => task.status !== 'cancelled').length
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
