/**
 * validatePlan: everything wrong with a plan, each problem one sentence a person or a model can act
 * on (`task "b": depends_on names unknown key "x"`, `dependency cycle: a → b → a`). Pure.
 */
import type { PlanTaskInput } from './types.js'

export function validatePlan(plan: PlanTaskInput[]): string[] {
  if (!Array.isArray(plan)) return ['the plan must be a list of tasks']
  if (plan.length === 0) return ['the plan has no tasks; give it at least one']
  const problems: string[] = []
  const positions = new Map<string, number>()
  plan.forEach((item, index) => {
    const label = labelOf(item, index)
    if (typeof item !== 'object' || item === null) {
      problems.push(`${label}: must be an object with a key and a title`)
      return
    }
    problems.push(...fieldProblems(item, label))
    if (typeof item.key !== 'string' || item.key.trim() === '') return
    const first = positions.get(item.key)
    if (first === undefined) positions.set(item.key, index)
    else problems.push(`duplicate key "${item.key}": tasks ${first + 1} and ${index + 1} both use it`)
  })
  const known = new Set(positions.keys())
  const dependsOn = new Map<string, string[]>()
  const parentOf = new Map<string, string>()
  for (const item of plan) {
    if (typeof item !== 'object' || item === null || typeof item.key !== 'string' || !known.has(item.key))
      continue
    const label = `task "${item.key}"`
    if (Array.isArray(item.depends_on)) {
      const edges: string[] = []
      for (const key of new Set(item.depends_on)) {
        if (typeof key !== 'string') continue
        if (key === item.key) problems.push(`${label} depends on itself`)
        else if (!known.has(key)) problems.push(`${label}: depends_on names unknown key "${key}"`)
        else edges.push(key)
      }
      dependsOn.set(item.key, [...(dependsOn.get(item.key) ?? []), ...edges])
    }
    if (typeof item.parent === 'string') {
      if (item.parent === item.key) problems.push(`${label} is its own parent`)
      else if (!known.has(item.parent)) problems.push(`${label}: parent names unknown key "${item.parent}"`)
      else parentOf.set(item.key, item.parent)
    }
  }
  for (const cycle of findCycles(dependsOn)) problems.push(`dependency cycle: ${cycle.join(' → ')}`)
  for (const cycle of findCycles(new Map([...parentOf].map(([key, parent]) => [key, [parent]]))))
    problems.push(`parent cycle: ${cycle.join(' → ')}`)
  return problems
}

function labelOf(item: unknown, index: number): string {
  const key = (item as { key?: unknown } | null)?.key
  return typeof key === 'string' && key.trim() !== '' ? `task "${key}"` : `task ${index + 1}`
}

function fieldProblems(item: PlanTaskInput, label: string): string[] {
  const problems: string[] = []
  const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string')
  const optionalString = (value: unknown) =>
    value === undefined || value === null || typeof value === 'string'
  if (typeof item.key !== 'string' || item.key.trim() === '')
    problems.push(`${label}: key must be a non-empty string`)
  if (typeof item.title !== 'string' || item.title.trim() === '')
    problems.push(`${label}: title must not be empty`)
  if (!optionalString(item.description)) problems.push(`${label}: description must be a string`)
  if (!optionalString(item.verify_command)) problems.push(`${label}: verify_command must be a string`)
  if (item.acceptance_criteria !== undefined && !isStringList(item.acceptance_criteria))
    problems.push(`${label}: acceptance_criteria must be a list of strings`)
  if (item.depends_on !== undefined && !isStringList(item.depends_on))
    problems.push(`${label}: depends_on must be a list of task keys`)
  if (item.parent !== undefined && item.parent !== null && typeof item.parent !== 'string')
    problems.push(`${label}: parent must be a task key`)
  if (item.priority !== undefined && !Number.isSafeInteger(item.priority))
    problems.push(`${label}: priority must be an integer, got ${JSON.stringify(item.priority)}`)
  const budget = item.budget_tokens
  if (budget !== undefined && budget !== null && !(Number.isSafeInteger(budget) && budget >= 0))
    problems.push(`${label}: budget_tokens must be a whole number ≥ 0, got ${JSON.stringify(budget)}`)
  return problems
}

/**
 * Every distinct cycle in a directed graph, each as keys with the first repeated at the end,
 * rotated to start at its smallest key. Iterative depth-first search (plans can be long chains).
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>()
  const seen = new Set<string>()
  const cycles: string[][] = []
  for (const start of edges.keys()) {
    if (state.has(start)) continue
    const path: string[] = [start]
    const cursors: number[] = [0]
    state.set(start, 'open')
    while (path.length > 0) {
      const node = path[path.length - 1] as string
      const next = edges.get(node) ?? []
      const cursor = cursors[cursors.length - 1] as number
      if (cursor >= next.length) {
        state.set(node, 'done')
        path.pop()
        cursors.pop()
        continue
      }
      cursors[cursors.length - 1] = cursor + 1
      const target = next[cursor] as string
      const targetState = state.get(target)
      if (targetState === 'open') {
        const cycle = path.slice(path.indexOf(target))
        const canonical = rotateToSmallest(cycle)
        const id = canonical.join('\u0000')
        if (!seen.has(id)) {
          seen.add(id)
          cycles.push([...canonical, canonical[0] as string])
        }
      } else if (targetState === undefined) {
        state.set(target, 'open')
        path.push(target)
        cursors.push(0)
      }
    }
  }
  return cycles
}

function rotateToSmallest(cycle: string[]): string[] {
  let smallest = 0
  for (let i = 1; i < cycle.length; i++) if ((cycle[i] as string) < (cycle[smallest] as string)) smallest = i
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)]
}
