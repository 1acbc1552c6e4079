/**
 * One agent run on a task (one role's turn): budgeted by what the task and project have left,
 * recorded as a run, its usage added to the task and the project.
 */
import { Engine, type EngineExtension, type EngineOptions, type RunResult } from '@penguin-ai/engine'
import { asAsyncStore, type Project, type RunStatus, type Task } from '@penguin-ai/store'
import type { Tool, Workspace } from '@penguin-ai/tools'
import type { ProjectRole, RoleAgent } from '../roles/roles.js'
import { runAllowance } from './budget.js'
import { storedText } from './redact.js'
import type { RunProjectOptions, TaskAgent } from './types.js'

/** Where a task's agents work: the project's workspace, or the task's own worktree. */
export interface TaskPlace {
  workspace: Workspace
  /** The sandbox of this place's commands (a worktree gets its own), when commands are sandboxed. */
  sandbox?: EngineOptions['sandbox']
  /** The task's git worktree (its top level), in a parallel run. */
  worktree?: string
}

export interface AttemptRequest {
  project: Project
  task: Task
  role: ProjectRole
  agent?: RoleAgent
  prompt: string
  place: TaskPlace
  /** What this task already spent in earlier roles of the same attempt (the task budget covers them all). */
  spent: { tokens: number; costUsd: number }
  /** Aborts the run: the user's interrupt, or the project's budget spent by tasks running alongside. */
  signal: AbortSignal
  extraTools?: Tool[]
}

export interface AttemptResult {
  result: RunResult
  status: Exclude<RunStatus, 'running'>
  tokens: number
  costUsd: number
  durationMs: number
  limitedBy: 'task' | 'project' | 'none'
}

async function plainAgent(options: EngineOptions): Promise<TaskAgent> {
  const engine = new Engine(options)
  return { run: (prompt, runOptions) => engine.run(prompt, runOptions), close: () => undefined }
}

export async function runAttempt(
  options: RunProjectOptions,
  request: AttemptRequest,
): Promise<AttemptResult> {
  const store = asAsyncStore(options.store)
  const { task, role, agent } = request
  const started = Date.now()
  // The task's budget covers every role of an attempt; the project's what it has left right now.
  const project = await store.requireProject(request.project.id)
  const allowance = runAllowance(project, {
    ...task,
    budgetTokens: task.budgetTokens === null ? null : task.budgetTokens - request.spent.tokens,
    budgetUsd: task.budgetUsd === null ? null : task.budgetUsd - request.spent.costUsd,
  })
  const run = await store.startRun({ projectId: project.id, taskId: task.id, model: options.model.id })

  // The project's time budget aborts the run in flight; the caller's signal aborts it too.
  const controller = new AbortController()
  const onAbort = () => controller.abort(request.signal.reason)
  if (request.signal.aborted) onAbort()
  request.signal.addEventListener('abort', onAbort, { once: true })
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
    const base = options.engine ?? {}
    const toolFilter = combineFilters(base.toolFilter, agent?.toolFilter, request.extraTools)
    const extensions: EngineExtension[] = [...(base.extensions ?? [])]
    if (request.extraTools?.length) {
      const tools = request.extraTools
      extensions.push({ name: `role ${role}`, tools: () => tools })
    }
    const engineOptions: EngineOptions = {
      ...base,
      model: options.model,
      workspace: request.place.workspace,
      ...(request.place.sandbox ? { sandbox: request.place.sandbox } : {}),
      ...(agent ? { agent: { name: agent.name, prompt: agent.prompt } } : {}),
      ...(toolFilter ? { toolFilter } : {}),
      extensions,
      budget: {
        ...(allowance.tokens !== undefined ? { maxTokens: Math.max(0, allowance.tokens) } : {}),
        ...(allowance.costUsd !== undefined ? { maxCostUsd: Math.max(0, allowance.costUsd) } : {}),
      },
    }
    const taskAgent = await (options.createAgent ?? plainAgent)(engineOptions, {
      project,
      task,
      role,
      ...(request.place.worktree ? { worktree: request.place.worktree } : {}),
    })
    try {
      result = await taskAgent.run(request.prompt, {
        signal: controller.signal,
        onEvent: (event) => options.onEvent?.({ type: 'task.agent', task, role, event }),
      })
    } finally {
      await taskAgent.close()
    }
  } finally {
    if (timer) clearTimeout(timer)
    request.signal.removeEventListener('abort', onAbort)
  }

  const durationMs = Date.now() - started
  const tokens = result.usage.totalTokens
  const status = timedOut ? 'budget_exceeded' : result.status
  const redact = storedText(options)
  await store.transaction(async (tx) => {
    await tx.finishRun(run.id, {
      status,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cacheReadTokens: result.usage.cacheReadTokens,
      cacheWriteTokens: result.usage.cacheWriteTokens,
      costUsd: result.cost,
      turns: result.iterations,
      finalText: result.text ? redact(result.text) : null,
      error: result.error ? redact(result.error.message) : null,
    })
    await tx.addTaskUsage(task.id, { tokens, costUsd: result.cost, seconds: durationMs / 1000 })
    await tx.addProjectUsage(project.id, { tokens, costUsd: result.cost, seconds: durationMs / 1000 })
  })
  return { result, status, tokens, costUsd: result.cost, durationMs, limitedBy: allowance.limitedBy }
}

/** The engine's filter (a configured agent), the role agent's, and always the role's own tools. */
function combineFilters(
  base: ((name: string) => boolean) | undefined,
  role: ((name: string) => boolean) | undefined,
  extra: Tool[] | undefined,
): ((name: string) => boolean) | undefined {
  if (!base && !role) return undefined
  const own = new Set((extra ?? []).map((tool) => tool.name))
  return (name) => own.has(name) || ((base?.(name) ?? true) && (role?.(name) ?? true))
}

/** Why an agent run that did not complete failed, in words and as a code. */
export function failureReason(
  attempt: AttemptResult,
  projectBudgetSpent: boolean,
): { code: string; text: string } {
  if (projectBudgetSpent)
    return { code: 'budget_exceeded', text: "budget_exceeded: the project's budget was spent" }
  switch (attempt.status) {
    case 'budget_exceeded':
      return {
        code: 'budget_exceeded',
        text: `budget_exceeded: the ${attempt.limitedBy === 'project' ? "project's" : "task's"} budget was spent`,
      }
    case 'max_iterations':
      return {
        code: 'max_iterations',
        text: `the agent reached its limit of ${attempt.result.iterations} model turns`,
      }
    default:
      return {
        code: 'agent_failed',
        text: `model error: ${attempt.result.error?.message ?? 'the agent failed'}`,
      }
  }
}
