/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { TaskJson } from '@penguin-ai/protocol/api'
import type { Task } from '@penguin-ai/store'

export function taskJson(task: Task): TaskJson {
  return {
    id: task.id,
    project_id: task.projectId,
    parent_id: task.parentId,
    title: task.title,
    description: task.description,
    acceptance_criteria: task.acceptanceCriteria,
    verify_command: task.verifyCommand,
    status: task.status,
    priority: task.priority,
    budget_tokens: task.budgetTokens,
    budget_usd: task.budgetUsd,
    tokens_used: task.tokensUsed,
    cost_usd: task.costUsd,
    result_summary: task.resultSummary,
    failure_reason: task.failureReason,
    depends_on: task.dependsOn,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    started_at: task.startedAt,
    finished_at: task.finishedAt,
  }
}
