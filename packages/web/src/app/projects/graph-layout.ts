/**
 * A task graph laid out by dependency depth: a task's column is one past its deepest dependency,
 * rows within a column by priority then id; edges run from a dependency to its dependent. Pure.
 */
import type { Task } from '@penguin-ai/sdk'

export interface LayoutOptions {
  nodeWidth: number
  nodeHeight: number
  gapX: number
  gapY: number
  padding: number
}

export interface LaidOutNode {
  task: Task
  depth: number
  x: number
  y: number
}

export interface LaidOutEdge {
  from: number
  to: number
  /** An SVG path from the right side of `from` to the left side of `to`. */
  path: string
}

export interface GraphLayout {
  nodes: LaidOutNode[]
  edges: LaidOutEdge[]
  width: number
  height: number
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 200,
  nodeHeight: 56,
  gapX: 64,
  gapY: 18,
  padding: 16,
}

export function taskDepths(tasks: readonly Task[]): Map<number, number> {
  const byId = new Map(tasks.map((task) => [task.id, task]))
  const depths = new Map<number, number>()
  const visiting = new Set<number>()
  const depth = (id: number): number => {
    const known = depths.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0 // a cycle (the store forbids them): cut it here
    visiting.add(id)
    const task = byId.get(id)
    let value = 0
    for (const dep of task?.depends_on ?? []) if (byId.has(dep)) value = Math.max(value, depth(dep) + 1)
    visiting.delete(id)
    depths.set(id, value)
    return value
  }
  for (const task of tasks) depth(task.id)
  return depths
}

export function layoutGraph(tasks: readonly Task[], options: LayoutOptions = DEFAULT_LAYOUT): GraphLayout {
  const { nodeWidth, nodeHeight, gapX, gapY, padding } = options
  const depths = taskDepths(tasks)
  const columns: Task[][] = []
  for (const task of tasks) {
    const d = depths.get(task.id) ?? 0
    const column = columns[d] ?? []
    column.push(task)
    columns[d] = column
  }
  const nodes: LaidOutNode[] = []
  const at = new Map<number, LaidOutNode>()
  columns.forEach((column, depth) => {
    column.sort((a, b) => b.priority - a.priority || a.id - b.id)
    column.forEach((task, row) => {
      const node = {
        task,
        depth,
        x: padding + depth * (nodeWidth + gapX),
        y: padding + row * (nodeHeight + gapY),
      }
      nodes.push(node)
      at.set(task.id, node)
    })
  })
  const edges: LaidOutEdge[] = []
  for (const node of nodes) {
    for (const dep of node.task.depends_on) {
      const from = at.get(dep)
      if (!from) continue
      const x1 = from.x + nodeWidth
      const y1 = from.y + nodeHeight / 2
      const x2 = node.x
      const y2 = node.y + nodeHeight / 2
      const mid = (x1 + x2) / 2
      edges.push({ from: dep, to: node.task.id, path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` })
    }
  }
  const tallest = Math.max(0, ...columns.map((column) => column?.length ?? 0))
  return {
    nodes,
    edges,
    width: columns.length === 0 ? 0 : padding * 2 + columns.length * nodeWidth + (columns.length - 1) * gapX,
    height: tallest === 0 ? 0 : padding * 2 + tallest * nodeHeight + (tallest - 1) * gapY,
  }
}
