import { describe, expect, it } from 'vitest'
import {
  canTransition,
  DependencyNotDoneError,
  InvalidTransitionError,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type TaskStatus,
} from '../src/index.js'
import { BACKENDS, setupBackend } from './helpers.js'

describe.each(BACKENDS)('TASK_TRANSITIONS (%s)', (backend) => {
  it('lists every status and only known targets', async () => {
    expect(Object.keys(TASK_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort())
    for (const targets of Object.values(TASK_TRANSITIONS))
      for (const to of targets) expect(TASK_STATUSES).toContain(to)
    expect(canTransition('pending', 'in_progress')).toBe(true)
    expect(canTransition('pending', 'done')).toBe(false)
    expect(canTransition('done', 'pending')).toBe(true)
    expect(canTransition('done', 'in_progress')).toBe(false)
  })

  it('the store accepts exactly the moves in the table', async () => {
    const { store, projectId } = await setupBackend(backend)
    // Reach each status from a fresh task, then try every target from it.
    const routes: Record<TaskStatus, TaskStatus[]> = {
      pending: [],
      in_progress: ['in_progress'],
      review: ['in_progress', 'review'],
      done: ['in_progress', 'done'],
      failed: ['in_progress', 'failed'],
      blocked: ['blocked'],
      cancelled: ['cancelled'],
    }
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const task = await store.createTask({ projectId, title: `${from} → ${to}` })
        for (const step of routes[from]) await store.transitionTask(task.id, step)
        const attempt = () => store.transitionTask(task.id, to)
        if (canTransition(from, to)) expect((await attempt()).status).toBe(to)
        else await expect(attempt()).rejects.toThrow(InvalidTransitionError)
      }
    }
  })
})

describe.each(BACKENDS)('transitionTask (%s)', (backend) => {
  it('explains an invalid move', async () => {
    const { store, projectId } = await setupBackend(backend)
    const task = await store.createTask({ projectId, title: 'a' })
    await expect(store.transitionTask(task.id, 'done')).rejects.toThrow(
      `task ${task.id} cannot go from pending to done; from pending it can go to in_progress, blocked, cancelled`,
    )
    expect((await store.requireTask(task.id)).status).toBe('pending')
  })

  it('keeps timestamps, summary and failure reason', async () => {
    const { store, projectId } = await setupBackend(backend)
    const task = await store.createTask({ projectId, title: 'a' })
    const started = await store.transitionTask(task.id, 'in_progress')
    expect(started.startedAt).not.toBeNull()
    expect(started.finishedAt).toBeNull()
    const failed = await store.transitionTask(task.id, 'failed', {
      summary: 'tests fail',
      reason: 'verify_failed',
    })
    expect(failed).toMatchObject({
      status: 'failed',
      resultSummary: 'tests fail',
      failureReason: 'verify_failed',
    })
    expect(failed.finishedAt).not.toBeNull()
    const reopened = await store.transitionTask(task.id, 'pending')
    expect(reopened).toMatchObject({ status: 'pending', failureReason: null, finishedAt: null })
    await store.transitionTask(task.id, 'in_progress')
    const done = await store.transitionTask(task.id, 'done', { summary: 'fixed' })
    expect(done).toMatchObject({ status: 'done', resultSummary: 'fixed', failureReason: null })
    expect(done.finishedAt).not.toBeNull()
    expect(await store.transitionTask(task.id, 'pending')).toMatchObject({ finishedAt: null })
  })

  it('starting needs every dependency done', async () => {
    const { store, projectId } = await setupBackend(backend)
    const a = await store.createTask({ projectId, title: 'a' })
    const b = await store.createTask({ projectId, title: 'b' })
    const c = await store.createTask({ projectId, title: 'c', dependsOn: [a.id, b.id] })
    let error: unknown
    try {
      await store.transitionTask(c.id, 'in_progress')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(DependencyNotDoneError)
    expect((error as DependencyNotDoneError).blockers).toEqual([a.id, b.id])
    expect((error as Error).message).toBe(
      `task ${c.id} cannot start: it depends on task ${a.id} (pending), task ${b.id} (pending), which must be done first`,
    )
    for (const id of [a.id, b.id]) {
      await store.transitionTask(id, 'in_progress')
      await store.transitionTask(id, 'done')
    }
    expect((await store.transitionTask(c.id, 'in_progress')).status).toBe('in_progress')
  })

  it('resetStaleTasks puts in-progress tasks back to pending and records it', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    const a = await store.createTask({ projectId, title: 'a' })
    const b = await store.createTask({ projectId, title: 'b' })
    await store.createTask({ projectId, title: 'c' })
    await store.transitionTask(a.id, 'in_progress')
    await store.transitionTask(b.id, 'in_progress')
    emitted.length = 0
    const reset = await store.resetStaleTasks(projectId)
    expect(reset.map((t) => [t.id, t.status])).toEqual([
      [a.id, 'pending'],
      [b.id, 'pending'],
    ])
    expect(emitted.map((e) => e.type)).toEqual(['task.status_changed', 'task.status_changed'])
    expect(emitted[0]).toMatchObject({ from: 'in_progress', to: 'pending' })
    expect(await store.resetStaleTasks(projectId)).toEqual([])
  })
})
