import { describe, expect, it } from 'vitest'
import { layoutGraph, taskDepths } from '../../src/app/projects/graph-layout.js'
import { task } from '../support/fixtures.js'

const OPTIONS = { nodeWidth: 100, nodeHeight: 40, gapX: 20, gapY: 10, padding: 5 }

describe('graph layout', () => {
  it('puts each task one column past its deepest dependency', () => {
    const tasks = [task(1), task(2, [1]), task(3, [1]), task(4, [2, 3]), task(5, [1, 4])]
    expect(Object.fromEntries(taskDepths(tasks))).toEqual({ 1: 0, 2: 1, 3: 1, 4: 2, 5: 3 })
  })

  it('places nodes in columns and rows, and edges from a dependency to its dependent', () => {
    const tasks = [task(1), task(2, [1]), task(3, [1], { priority: 5 }), task(9, [42])]
    const layout = layoutGraph(tasks, OPTIONS)
    const at = Object.fromEntries(layout.nodes.map((node) => [node.task.id, [node.x, node.y]]))
    // Column 0: 1 and 9 (its dependency is not in the list); column 1: 3 (higher priority) above 2.
    expect(at).toEqual({ 1: [5, 5], 9: [5, 55], 3: [125, 5], 2: [125, 55] })
    expect(layout.edges.map((edge) => `${edge.from}->${edge.to}`).sort()).toEqual(['1->2', '1->3'])
    expect(layout.edges.find((edge) => edge.to === 3)?.path).toBe('M105,25 C115,25 115,25 125,25')
    expect(layout.width).toBe(5 * 2 + 2 * 100 + 20)
    expect(layout.height).toBe(5 * 2 + 2 * 40 + 10)
  })

  it('survives a cycle and an empty graph', () => {
    expect(layoutGraph([], OPTIONS)).toEqual({ nodes: [], edges: [], width: 0, height: 0 })
    const layout = layoutGraph([task(1, [2]), task(2, [1])], OPTIONS)
    expect(layout.nodes).toHaveLength(2)
  })
})
