import type { Task } from '@penguin-ai/sdk'

/** A task record as the API sends it. */
export function task(id: number, depends_on: number[] = [], patch: Partial<Task> = {}): Task {
  return {
    id,
    project_id: 1,
    parent_id: null,
    title: `task ${id}`,
    description: null,
    acceptance_criteria: [],
    verify_command: null,
    status: 'pending',
    priority: 0,
    budget_tokens: null,
    budget_usd: null,
    tokens_used: 0,
    cost_usd: 0,
    result_summary: null,
    failure_reason: null,
    depends_on,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    ...patch,
  }
}
