import { describe, expect, it } from 'vitest'
import { CycleError, NotFoundError, ValidationError } from '../src/index.js'
import { setup } from './helpers.js'

describe('dependencies', () => {
  it('adds edges idempotently and reads both directions', () => {
    const { store, projectId, emitted } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b' })
    const c = store.createTask({ projectId, title: 'c', dependsOn: [b.id, a.id, a.id] })
    expect(c.dependsOn).toEqual([a.id, b.id])
    store.addDependency(b.id, a.id)
    store.addDependency(b.id, a.id)
    expect(emitted.filter((e) => e.type === 'dependency.added')).toHaveLength(1)
    expect(store.getDependencies(c.id).map((t) => t.id)).toEqual([a.id, b.id])
    expect(store.getDependents(a.id).map((t) => t.id)).toEqual([b.id, c.id])
    store.removeDependency(c.id, a.id)
    expect(store.requireTask(c.id).dependsOn).toEqual([b.id])
    expect(emitted.at(-1)).toMatchObject({ type: 'dependency.removed', taskId: c.id, dependsOn: a.id })
  })

  it('rejects cycles with the path', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', dependsOn: [a.id] })
    const c = store.createTask({ projectId, title: 'c', dependsOn: [b.id] })
    let error: unknown
    try {
      store.addDependency(a.id, c.id)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(CycleError)
    expect((error as CycleError).cycle).toEqual([a.id, c.id, b.id, a.id])
    expect((error as Error).message).toBe(
      `dependency would create a cycle: task ${a.id} → task ${c.id} → task ${b.id} → task ${a.id}`,
    )
    expect(() => store.addDependency(a.id, b.id)).toThrow(CycleError)
    expect(store.requireTask(a.id).dependsOn).toEqual([])
  })

  it('rejects self-dependencies, other projects and unknown tasks', () => {
    const { store, projectId } = setup()
    const other = store.createProject({ name: 'other' })
    const a = store.createTask({ projectId, title: 'a' })
    const x = store.createTask({ projectId: other.id, title: 'x' })
    expect(() => store.addDependency(a.id, a.id)).toThrow('cannot depend on itself')
    expect(() => store.addDependency(a.id, x.id)).toThrow(ValidationError)
    expect(() => store.addDependency(a.id, 999)).toThrow(new NotFoundError('task', 999))
    expect(() => store.createTask({ projectId, title: 'b', dependsOn: [x.id] })).toThrow(/within one project/)
    expect(() => store.createTask({ projectId, title: 'b', dependsOn: [a.id, 999] })).toThrow(
      'task 999 not found',
    )
    // Nothing half-created by the failed createTask calls.
    expect(store.listTasks(projectId).map((t) => t.title)).toEqual(['a'])
  })

  it('deleting a task drops its edges', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', dependsOn: [a.id] })
    store.deleteTask(a.id)
    expect(store.requireTask(b.id).dependsOn).toEqual([])
    expect(store.nextReadyTask(projectId)?.id).toBe(b.id)
  })
})

describe('readiness', () => {
  it('ready = pending with every dependency done; priority first, then oldest', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', priority: 5, dependsOn: [a.id] })
    const c = store.createTask({ projectId, title: 'c', priority: 1 })
    const d = store.createTask({ projectId, title: 'd', priority: 1 })
    const e = store.createTask({ projectId, title: 'e', priority: -1 })
    expect(store.readyTasks(projectId).map((t) => t.id)).toEqual([c.id, d.id, a.id, e.id])
    expect(store.readyTasks(projectId, 2).map((t) => t.id)).toEqual([c.id, d.id])
    expect(store.nextReadyTask(projectId)?.id).toBe(c.id)
    store.transitionTask(a.id, 'in_progress')
    expect(store.readyTasks(projectId).map((t) => t.id)).toEqual([c.id, d.id, e.id])
    store.transitionTask(a.id, 'done')
    expect(store.nextReadyTask(projectId)?.id).toBe(b.id)
    expect(store.listTasks(projectId, { ready: true }).map((t) => t.id)).toEqual([b.id, c.id, d.id, e.id])
    store.transitionTask(a.id, 'pending')
    expect(store.nextReadyTask(projectId)?.id).toBe(c.id)
    for (const id of [a.id, c.id, d.id, e.id]) store.transitionTask(id, 'cancelled')
    expect(store.nextReadyTask(projectId)).toBeUndefined()
  })

  it('filters lists by status and parent', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', parentId: a.id })
    const c = store.createTask({ projectId, title: 'c', parentId: a.id })
    store.transitionTask(c.id, 'blocked', { summary: 'needs a key' })
    expect(store.listTasks(projectId, { status: 'blocked' }).map((t) => t.id)).toEqual([c.id])
    expect(store.listTasks(projectId, { status: ['pending', 'blocked'] })).toHaveLength(3)
    expect(store.listTasks(projectId, { parentId: null }).map((t) => t.id)).toEqual([a.id])
    expect(store.listTasks(projectId, { parentId: a.id }).map((t) => t.id)).toEqual([b.id, c.id])
    expect(() => store.listTasks(999)).toThrow(NotFoundError)
  })

  it('getGraph returns tasks and edges from prerequisite to dependent', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', dependsOn: [a.id] })
    const c = store.createTask({ projectId, title: 'c', dependsOn: [a.id, b.id] })
    const graph = store.getGraph(projectId)
    expect(graph.tasks.map((t) => t.id)).toEqual([a.id, b.id, c.id])
    expect(graph.edges).toEqual([
      { from: a.id, to: b.id },
      { from: a.id, to: c.id },
      { from: b.id, to: c.id },
    ])
  })

  it('nextReadyTask finds the right task on a large graph', () => {
    const { store, projectId } = setup()
    const plan = Array.from({ length: 5000 }, (_, i) => ({
      key: `t${i}`,
      title: `task ${i}`,
      priority: i % 3,
      depends_on: i < 2 ? [] : [`t${i - 1}`, `t${Math.floor(i / 2)}`].filter((k) => k !== `t${i}`),
    }))
    store.createPlan(projectId, plan)
    // Its speed on 10,000 tasks is measured by `pnpm bench:store`, not asserted here.
    expect(store.nextReadyTask(projectId)?.title).toBe('task 1')
    expect(store.readyTasks(projectId).map((task) => task.title)).toEqual(['task 1', 'task 0'])
  })
})

describe('hierarchy', () => {
  it('keeps subtasks in their parent’s project and out of cycles', () => {
    const { store, projectId } = setup()
    const other = store.createProject({ name: 'other' })
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', parentId: a.id })
    const c = store.createTask({ projectId, title: 'c', parentId: b.id })
    const x = store.createTask({ projectId: other.id, title: 'x' })
    expect(() => store.createTask({ projectId, title: 'y', parentId: x.id })).toThrow(/parent's project/)
    expect(() => store.createTask({ projectId, title: 'y', parentId: 404 })).toThrow('task 404 not found')
    expect(() => store.updateTask(a.id, { parentId: c.id })).toThrow(/one of its subtasks/)
    expect(() => store.updateTask(a.id, { parentId: a.id })).toThrow(/the task itself/)
    expect(store.updateTask(c.id, { parentId: a.id }).parentId).toBe(a.id)
    expect(store.updateTask(c.id, { parentId: null }).parentId).toBeNull()
  })

  it('deleting a task moves its subtasks up to its parent', () => {
    const { store, projectId, emitted } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b', parentId: a.id })
    const c = store.createTask({ projectId, title: 'c', parentId: b.id })
    emitted.length = 0
    store.deleteTask(b.id)
    expect(store.requireTask(c.id).parentId).toBe(a.id)
    expect(emitted.map((e) => e.type)).toEqual(['task.updated', 'task.deleted'])
    store.deleteTask(a.id)
    expect(store.requireTask(c.id).parentId).toBeNull()
    expect(() => store.deleteTask(a.id)).toThrow(new NotFoundError('task', a.id))
  })
})
