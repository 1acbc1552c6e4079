import { describe, expect, it } from 'vitest'
import { PlanError, type PlanTaskInput, StoreError, validatePlan } from '../src/index.js'
import { BACKENDS, refuseTitleIn, setupBackend } from './helpers.js'

describe('validatePlan', () => {
  it('accepts a valid plan', async () => {
    expect(
      validatePlan([
        { key: 'a', title: 'A' },
        { key: 'b', title: 'B', depends_on: ['a'], parent: 'a', priority: 2, budget_tokens: 1000 },
      ]),
    ).toEqual([])
  })

  it('reports each problem separately, in words a model can act on', async () => {
    const problems = validatePlan([
      { key: 'a', title: 'A', depends_on: ['b'] },
      { key: 'b', title: 'B', depends_on: ['a', 'x'] },
      { key: 'a', title: 'again' },
      { key: '', title: 'no key' },
      { key: 'c', title: ' ', parent: 'nope' },
      { key: 'd', title: 'D', depends_on: ['d'], parent: 'd' },
      { key: 'e', title: 'E', parent: 'f' },
      { key: 'f', title: 'F', parent: 'e', priority: 1.5 },
    ])
    expect(problems).toEqual([
      'duplicate key "a": tasks 1 and 3 both use it',
      'task 4: key must be a non-empty string',
      'task "c": title must not be empty',
      'task "f": priority must be an integer, got 1.5',
      'task "b": depends_on names unknown key "x"',
      'task "c": parent names unknown key "nope"',
      'task "d" depends on itself',
      'task "d" is its own parent',
      'dependency cycle: a → b → a',
      'parent cycle: e → f → e',
    ])
  })

  it('finds longer cycles once each, and handles non-plans', async () => {
    const plan: PlanTaskInput[] = [
      { key: 'c', title: 'C', depends_on: ['a'] },
      { key: 'a', title: 'A', depends_on: ['b'] },
      { key: 'b', title: 'B', depends_on: ['c'] },
      { key: 'z', title: 'Z', depends_on: ['a'] },
    ]
    expect(validatePlan(plan)).toEqual(['dependency cycle: a → b → c → a'])
    expect(validatePlan([])).toEqual(['the plan has no tasks; give it at least one'])
    expect(validatePlan({} as never)).toEqual(['the plan must be a list of tasks'])
    expect(validatePlan([null as never])).toEqual(['task 1: must be an object with a key and a title'])
    expect(validatePlan([{ key: 'a', title: 'A', depends_on: 'b' as never }])).toEqual([
      'task "a": depends_on must be a list of task keys',
    ])
  })

  it('copes with a 10,000-long chain', async () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ({
      key: `t${i}`,
      title: `t${i}`,
      depends_on: [`t${(i + 1) % 10_000}`],
    }))
    const problems = validatePlan(chain)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^dependency cycle: t0 → t1 → .* → t0$/)
  })
})

describe.each(BACKENDS)('createPlan (%s)', (backend) => {
  it('stores tasks, parents before children and edges; returns them in plan order', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    const tasks = await store.createPlan(projectId, [
      { key: 'leaf', title: 'Leaf', parent: 'mid', depends_on: ['root'] },
      { key: 'mid', title: 'Mid', parent: 'root', acceptance_criteria: ['works'], verify_command: 'true' },
      { key: 'root', title: 'Root', priority: 4, budget_tokens: 9000, description: 'top' },
    ])
    const [leaf, mid, root] = tasks
    expect(tasks.map((t) => t.title)).toEqual(['Leaf', 'Mid', 'Root'])
    expect(root).toMatchObject({ parentId: null, priority: 4, budgetTokens: 9000, description: 'top' })
    expect(mid).toMatchObject({ parentId: root?.id, acceptanceCriteria: ['works'], verifyCommand: 'true' })
    expect(leaf).toMatchObject({ parentId: mid?.id, dependsOn: [root?.id] })
    // Parents were inserted (and announced) first.
    expect(root?.id).toBeLessThan(mid?.id ?? 0)
    expect(mid?.id).toBeLessThan(leaf?.id ?? 0)
    expect(emitted.map((e) => (e.type === 'task.created' ? e.task.title : e.type))).toEqual([
      'Root',
      'Mid',
      'Leaf',
    ])
  })

  it('is all or nothing', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    await expect(
      store.createPlan(projectId, [{ key: 'a', title: 'A', depends_on: ['ghost'] }]),
    ).rejects.toThrow(new PlanError(['task "a": depends_on names unknown key "ghost"']))
    await expect(store.createPlan(404, [{ key: 'a', title: 'A' }])).rejects.toThrow('project 404 not found')
    await store.createTask({ projectId, title: 'kept' })
    // A failure half way through the inserts (here the database refuses one row) leaves nothing.
    await refuseTitleIn(store, 'refused')
    const plan = Array.from({ length: 50 }, (_, i) => ({
      key: `t${i}`,
      title: i === 40 ? 'refused' : `task ${i}`,
      depends_on: i > 0 ? [`t${i - 1}`] : [],
    }))
    await expect(store.createPlan(projectId, plan)).rejects.toThrow(StoreError)
    expect((await store.listTasks(projectId)).map((t) => t.title)).toEqual(['kept'])
    expect(emitted.map((e) => e.type)).toEqual(['task.created'])
    expect((await store.listEvents({ projectId })).map((e) => e.type)).toEqual([
      'project.created',
      'task.created',
    ])
  })
})
