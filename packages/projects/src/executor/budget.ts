import type { Project, Task } from '@penguin-ai/store'

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
