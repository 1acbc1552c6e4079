import type { EngineEvent } from '@penguin-ai/engine'
import type { AsyncStore, Project, Task } from '@penguin-ai/store'

export interface Allowance {
  /** Tokens the next run may spend; undefined when nothing limits it. */
  tokens?: number
  costUsd?: number
  /** Wall-clock seconds the project has left. */
  seconds?: number
  /** Which limit is the tightest for tokens/cost: decides whether exhausting it stops the project. */
  limitedBy: 'task' | 'project' | 'none'
}

/** What the project has left; `exhausted` names the first budget spent, if any. */
export function projectRemaining(project: Project): {
  exhausted?: string
  tokens?: number
  costUsd?: number
  seconds?: number
} {
  const tokens = project.budgetTokens === null ? undefined : project.budgetTokens - project.tokensUsed
  const costUsd = project.budgetUsd === null ? undefined : project.budgetUsd - project.costUsd
  const seconds = project.budgetSeconds === null ? undefined : project.budgetSeconds - project.secondsUsed
  const exhausted =
    tokens !== undefined && tokens <= 0
      ? `token budget of ${project.budgetTokens} spent (${project.tokensUsed} used)`
      : costUsd !== undefined && costUsd <= 0
        ? `cost budget of $${project.budgetUsd} spent ($${project.costUsd.toFixed(4)} used)`
        : seconds !== undefined && seconds <= 0
          ? `time budget of ${project.budgetSeconds} s spent`
          : undefined
  return { ...(exhausted ? { exhausted } : {}), tokens, costUsd, seconds }
}

/**
 * The budget of one run of a task: the task's own budget (per attempt) capped by what the project
 * has left.
 */
export function runAllowance(project: Project, task: Task): Allowance {
  const left = projectRemaining(project)
  const tokens = min(task.budgetTokens ?? undefined, left.tokens)
  const costUsd = min(task.budgetUsd ?? undefined, left.costUsd)
  const projectBinds =
    (left.tokens !== undefined && tokens === left.tokens && tokens !== (task.budgetTokens ?? undefined)) ||
    (left.costUsd !== undefined && costUsd === left.costUsd && costUsd !== (task.budgetUsd ?? undefined))
  const limitedBy = projectBinds ? 'project' : tokens !== undefined || costUsd !== undefined ? 'task' : 'none'
  return {
    ...(tokens !== undefined ? { tokens } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(left.seconds !== undefined ? { seconds: left.seconds } : {}),
    limitedBy,
  }
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return Math.min(a, b)
}

export interface ProjectMeter {
  /** Aborts once the project's budget is spent. */
  signal: AbortSignal
  /** Feeds a task agent's event (its usage, its end). */
  observe(taskId: number, event: EngineEvent): void
}

/**
 * Live spending of the tasks in flight on top of what the store has: once the project's token or
 * cost budget is reached, `signal` aborts every task's agent. One task at a time needs none: its
 * engine's budget is what the project has left.
 */
export function projectMeter(store: AsyncStore, projectId: number, enabled: boolean): ProjectMeter {
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
