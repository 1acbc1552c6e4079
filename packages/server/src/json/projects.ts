/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { ProjectJson } from '@penguin-ai/protocol/api'
import type { Project } from '@penguin-ai/store'

export function projectJson(
  project: Project,
  extra: { taskCounts: Record<string, number>; activeRunId: string | null },
): ProjectJson {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    workspace: project.workspace,
    status: project.status,
    budget_tokens: project.budgetTokens,
    budget_usd: project.budgetUsd,
    budget_seconds: project.budgetSeconds,
    tokens_used: project.tokensUsed,
    cost_usd: project.costUsd,
    seconds_used: project.secondsUsed,
    created_at: project.createdAt,
    updated_at: project.updatedAt,
    task_counts: extra.taskCounts,
    running: extra.activeRunId !== null,
    active_project_run_id: extra.activeRunId,
  }
}
