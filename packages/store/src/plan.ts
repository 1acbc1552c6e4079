/** createPlan: a validated plan stored as tasks and edges in one transaction. */
import { type Ctx, record, write } from './context.js'
import { insertEdge } from './dependencies.js'
import { PlanError } from './errors.js'
import { validatePlan } from './plan-validation.js'
import { requireProject } from './projects.js'
import { tasksByIds } from './task-queries.js'
import { insertTask } from './tasks.js'
import type { PlanTaskInput, Task } from './types.js'

export function createPlan(ctx: Ctx, projectId: number, plan: PlanTaskInput[]): Task[] {
  const problems = validatePlan(plan)
  if (problems.length > 0) throw new PlanError(problems)
  return write(ctx, () => {
    requireProject(ctx, projectId)
    const now = new Date()
    const ids = new Map<string, number>()
    for (const item of parentsFirst(plan)) {
      ids.set(
        item.key,
        insertTask(
          ctx,
          {
            projectId,
            parentId: item.parent ? (ids.get(item.parent) ?? null) : null,
            title: item.title.trim(),
            description: item.description ?? null,
            acceptanceCriteria: item.acceptance_criteria ?? [],
            verifyCommand: item.verify_command ?? null,
            priority: item.priority ?? 0,
            budgetTokens: item.budget_tokens ?? null,
            budgetUsd: null,
          },
          now,
        ),
      )
    }
    const idOf = (key: string) => ids.get(key) as number
    for (const item of plan)
      for (const key of new Set(item.depends_on ?? [])) insertEdge(ctx, idOf(item.key), idOf(key))
    const byId = new Map(tasksByIds(ctx, [...ids.values()]).map((task) => [task.id, task]))
    // Events in insertion order, so a subtask's parent is always announced first.
    for (const id of ids.values())
      record(ctx, { type: 'task.created', task: byId.get(id) as Task }, now.getTime())
    return plan.map((item) => byId.get(idOf(item.key)) as Task)
  })
}

/** The plan reordered so every parent comes before its subtasks (validated: no parent cycles). */
export function parentsFirst(plan: PlanTaskInput[]): PlanTaskInput[] {
  const byKey = new Map(plan.map((item) => [item.key, item]))
  const placed = new Set<string>()
  const ordered: PlanTaskInput[] = []
  for (const item of plan) {
    const chain: PlanTaskInput[] = []
    for (let current: PlanTaskInput | undefined = item; current && !placed.has(current.key); ) {
      chain.push(current)
      placed.add(current.key)
      current = current.parent ? byKey.get(current.parent) : undefined
    }
    ordered.push(...chain.reverse())
  }
  return ordered
}
