import { describe, expect, it } from 'vitest'
import { InvalidTransitionError, type RecordedChange, StoreError } from '../src/index.js'
import { refuseTitle, setup } from './helpers.js'

describe('transactions', () => {
  it('roll back everything on error and emit nothing', () => {
    const { store, projectId, emitted } = setup()
    const eventsBefore = store.listEvents().length
    expect(() =>
      store.transaction(() => {
        const a = store.createTask({ projectId, title: 'a' })
        store.createTask({ projectId, title: 'b', dependsOn: [a.id] })
        store.updateProject(projectId, { description: 'changed' })
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(store.listTasks(projectId)).toEqual([])
    expect(store.requireProject(projectId).description).toBeNull()
    expect(store.listEvents()).toHaveLength(eventsBefore)
    expect(emitted).toEqual([])
  })

  it('emit events only after the outermost commit, in order, with their row ids', () => {
    const { store, projectId, emitted } = setup()
    let seenInside = -1
    const result = store.transaction(() => {
      const a = store.createTask({ projectId, title: 'a' })
      store.transaction(() => {
        store.transitionTask(a.id, 'in_progress')
      })
      seenInside = emitted.length
      return a.id
    })
    expect(seenInside).toBe(0)
    expect(emitted.map((e) => e.type)).toEqual(['task.created', 'task.status_changed'])
    const stored = store.listEvents({ taskId: result })
    expect(emitted.map((e) => e.eventId)).toEqual(stored.map((e) => e.id))
    expect(stored[1]).toMatchObject({
      type: 'task.status_changed',
      projectId,
      taskId: result,
      data: { from: 'pending', to: 'in_progress', task: { id: result, status: 'in_progress' } },
    })
  })

  it('a nested failure caught inside rolls back only its savepoint and its events', () => {
    const { store, projectId, emitted } = setup()
    store.transaction(() => {
      store.createTask({ projectId, title: 'kept' })
      try {
        store.transaction(() => {
          store.createTask({ projectId, title: 'dropped' })
          throw new Error('inner')
        })
      } catch {}
      // A failing operation is its own savepoint too.
      const task = store.createTask({ projectId, title: 'kept too' })
      expect(() => store.transitionTask(task.id, 'done')).toThrow(InvalidTransitionError)
    })
    expect(store.listTasks(projectId).map((t) => t.title)).toEqual(['kept', 'kept too'])
    expect(emitted.map((e) => (e.type === 'task.created' ? e.task.title : e.type))).toEqual([
      'kept',
      'kept too',
    ])
    expect(store.listEvents({ projectId }).filter((e) => e.type === 'task.created')).toHaveLength(2)
  })

  it('a database error inside an operation leaves nothing half-written', () => {
    const { store, projectId, emitted } = setup()
    const parent = store.createTask({ projectId, title: 'parent' })
    const child = store.createTask({ projectId, title: 'child', parentId: parent.id })
    emitted.length = 0
    refuseTitle(store.path, 'refused')
    // deleteTask reparents the child and deletes; then the database refuses the next insert.
    expect(() =>
      store.transaction(() => {
        store.deleteTask(parent.id)
        store.createTask({ projectId, title: 'refused' })
      }),
    ).toThrow(StoreError)
    expect(store.requireTask(child.id).parentId).toBe(parent.id)
    expect(store.getTask(parent.id)).toBeDefined()
    expect(emitted).toEqual([])
  })

  it('a listener that throws does not break the store or other listeners', () => {
    const { store, projectId } = setup()
    const seen: RecordedChange[] = []
    store.subscribe(() => {
      throw new Error('listener bug')
    })
    const unsubscribe = store.subscribe((event) => seen.push(event))
    const task = store.createTask({ projectId, title: 'a' })
    expect(store.requireTask(task.id).title).toBe('a')
    expect(seen).toHaveLength(1)
    unsubscribe()
    store.createTask({ projectId, title: 'b' })
    expect(seen).toHaveLength(1)
  })

  it('listEvents pages through the log', () => {
    const { store, projectId } = setup()
    for (const title of ['a', 'b', 'c']) store.createTask({ projectId, title })
    const all = store.listEvents()
    expect(all.map((e) => e.type)).toEqual([
      'project.created',
      'task.created',
      'task.created',
      'task.created',
    ])
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b))
    expect(store.listEvents({ afterId: all[1]?.id, limit: 1 }).map((e) => e.id)).toEqual([all[2]?.id])
    expect(all[0]?.data).toMatchObject({ project: { id: projectId, name: 'web' } })
    expect(new Date(all[0]?.createdAt ?? '').toISOString()).toBe(all[0]?.createdAt)
  })

  it('maps SQLite failures to StoreError code "database"', () => {
    const { store } = setup()
    store.close()
    let error: unknown
    try {
      store.listProjects()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('database')
  })
})
