import { describe, expect, it } from 'vitest'
import {
  type AsyncStore,
  CycleError,
  InvalidTransitionError,
  NotFoundError,
  type RecordedChange,
  StoreError,
} from '../src/index.js'
import { setup } from './helpers.js'

describe('store.async', () => {
  it('offers every operation with the same results as the sync store', async () => {
    const { store, projectId } = setup()
    const db: AsyncStore = store.async
    const a = await db.createTask({ projectId, title: 'a' })
    const b = await db.createTask({ projectId, title: 'b', dependsOn: [a.id] })
    expect(await db.getTask(b.id)).toEqual(store.getTask(b.id))
    expect(await db.requireProject('web')).toEqual(store.requireProject('web'))
    expect(await db.listProjects()).toEqual(store.listProjects())
    expect(await db.readyTasks(projectId)).toEqual(store.readyTasks(projectId))
    expect((await db.nextReadyTask(projectId))?.id).toBe(a.id)
    expect(await db.getGraph(projectId)).toEqual(store.getGraph(projectId))
    expect(await db.getDependents(a.id)).toEqual(store.getDependents(a.id))
    expect(await db.validatePlan([])).toEqual(store.validatePlan([]))
    await expect(db.addDependency(a.id, b.id)).rejects.toBeInstanceOf(CycleError)
    await expect(db.transitionTask(a.id, 'done')).rejects.toBeInstanceOf(InvalidTransitionError)
    await expect(db.requireTask(404)).rejects.toBeInstanceOf(NotFoundError)
    const run = await db.startRun({ projectId, model: 'm' })
    expect((await db.finishRun(run.id, { status: 'aborted' })).status).toBe('aborted')
    const plan = await db.createPlan(projectId, [{ key: 'x', title: 'X' }])
    expect(plan[0]?.title).toBe('X')
    expect(await db.listEvents()).toEqual(store.listEvents())
  })

  it('offers the session operations with the same results as the sync store', async () => {
    const { store, projectId, emitted } = setup()
    const db: AsyncStore = store.async
    const session = await db.createSession({ workspace: '/w', projectId })
    await db.appendMessages(session.id, [
      { role: 'user', parts: [{ type: 'text', text: 'u1' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'a1' }], inputTokens: 3 },
    ])
    expect(await db.requireSession(session.id.slice(0, 14))).toEqual(store.requireSession(session.id))
    expect(await db.listMessages(session.id)).toEqual(store.listMessages(session.id))
    const checkpoint = await db.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c1' })
    await db.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text', text: 'u2' }] }])
    const restored = await db.restoreConversation(checkpoint.id)
    expect(restored).toEqual(store.requireSession(session.id))
    expect(restored.messageCount).toBe(2)
    const fork = await db.forkSession(session.id, checkpoint.id)
    expect(await db.listSessions({ workspace: '/w' })).toEqual(store.listSessions({ workspace: '/w' }))
    expect((await db.latestSession('/w'))?.id).toBe(fork.id)
    expect(await db.liveCheckpointCommits()).toEqual(['c1'])
    await db.saveMemory({ scope: 'project:1', content: 'tests run with vitest' })
    expect(await db.searchMemories('what runs the tests?', { scopes: ['project:1'] })).toEqual(
      store.searchMemories('what runs the tests?', { scopes: ['project:1'] }),
    )
    await expect(db.requireSession('ses_nothing_here')).rejects.toBeInstanceOf(NotFoundError)
    await expect(db.deleteMemory(999)).rejects.toBeInstanceOf(NotFoundError)
    expect(emitted.map((e) => e.type)).toEqual([
      'session.created',
      'session.updated',
      'checkpoint.created',
      'session.updated',
      'session.restored',
      'session.created',
    ])
  })

  it('rolls back session writes with their async transaction', async () => {
    const { store, emitted } = setup()
    const session = store.createSession({ workspace: '/w' })
    const seen = emitted.length
    await expect(
      store.async.transaction(async (tx) => {
        await tx.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text', text: 'lost' }] }])
        await tx.forkSession(session.id)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(store.listMessages(session.id)).toEqual([])
    expect(store.listSessions()).toHaveLength(1)
    expect(emitted.length).toBe(seen)
  })

  it('has every operation of the sync store', () => {
    const { store } = setup()
    const syncOperations = Object.keys(store).filter(
      (key) => typeof (store as unknown as Record<string, unknown>)[key] === 'function',
    )
    expect(syncOperations.length).toBeGreaterThan(30)
    for (const name of syncOperations)
      expect(typeof (store.async as unknown as Record<string, unknown>)[name], name).toBe('function')
  })

  it('runs operations one at a time, in call order', async () => {
    const { store, projectId } = setup()
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.async.createTask({ projectId, title: `t${i}` })),
    )
    expect(created.map((t) => t.title)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`))
    expect(created.map((t) => t.id)).toEqual([...created.map((t) => t.id)].sort((x, y) => x - y))
  })

  it('commits a transaction and emits its events after the commit', async () => {
    const { store, projectId, emitted } = setup()
    const id = await store.async.transaction(async (tx) => {
      const a = await tx.createTask({ projectId, title: 'a' })
      // A turn of the event loop inside the transaction: events must still wait for the commit.
      await new Promise((resolve) => setImmediate(resolve))
      await tx.transitionTask(a.id, 'in_progress')
      expect(emitted).toEqual([])
      return a.id
    })
    expect(store.requireTask(id).status).toBe('in_progress')
    expect(emitted.map((e) => e.type)).toEqual(['task.created', 'task.status_changed'])
  })

  it('rolls a failed transaction back, emits nothing, and holds other operations until it ends', async () => {
    const { store, projectId, emitted } = setup()
    const order: string[] = []
    const failing = store.async.transaction(async (tx) => {
      await tx.createTask({ projectId, title: 'a' })
      order.push('tx wrote')
      // A turn of the event loop inside the transaction: the outside read must still wait.
      await new Promise((resolve) => setImmediate(resolve))
      order.push('tx throws')
      throw new Error('boom')
    })
    const outside = store.async.listTasks(projectId).then((tasks) => {
      order.push(`outside saw ${tasks.length}`)
    })
    await expect(failing).rejects.toThrow('boom')
    await outside
    expect(order).toEqual(['tx wrote', 'tx throws', 'outside saw 0'])
    expect(store.listTasks(projectId)).toEqual([])
    expect(emitted).toEqual([])
  })

  it('nests transactions as savepoints', async () => {
    const { store, projectId, emitted } = setup()
    await store.async.transaction(async (tx) => {
      await tx.createTask({ projectId, title: 'kept' })
      await expect(
        tx.transaction(async (inner) => {
          await inner.createTask({ projectId, title: 'dropped' })
          throw new Error('inner')
        }),
      ).rejects.toThrow('inner')
      await tx.transaction(async (inner) => {
        await inner.createTask({ projectId, title: 'nested' })
      })
    })
    expect(store.listTasks(projectId).map((t) => t.title)).toEqual(['kept', 'nested'])
    expect(emitted.map((e: RecordedChange) => (e.type === 'task.created' ? e.task.title : ''))).toEqual([
      'kept',
      'nested',
    ])
  })

  it('refuses sync calls while an async transaction holds the connection', async () => {
    const { store, projectId } = setup()
    let refused: unknown
    let escaped: AsyncStore | undefined
    await store.async.transaction(async (tx) => {
      escaped = tx
      await tx.createTask({ projectId, title: 'a' })
      try {
        store.createTask({ projectId, title: 'outside' })
      } catch (error) {
        refused = error
      }
    })
    expect(refused).toBeInstanceOf(StoreError)
    expect(store.listTasks(projectId).map((t) => t.title)).toEqual(['a'])
    await expect(escaped?.listTasks(projectId)).rejects.toThrow(/already finished/)
    // The sync store works again once the transaction is over.
    expect(store.createTask({ projectId, title: 'after' }).title).toBe('after')
  })

  it('subscribe and close', async () => {
    const { store, projectId } = setup()
    const seen: string[] = []
    const unsubscribe = store.async.subscribe((event) => seen.push(event.type))
    await store.async.createTask({ projectId, title: 'a' })
    unsubscribe()
    await store.async.createTask({ projectId, title: 'b' })
    expect(seen).toEqual(['task.created'])
    await store.async.close()
    await expect(store.async.listProjects()).rejects.toMatchObject({ code: 'database' })
  })
})
