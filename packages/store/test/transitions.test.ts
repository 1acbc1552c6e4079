import { describe, expect, it } from 'vitest'
import {
  canTransition,
  DependencyNotDoneError,
  InvalidTransitionError,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type TaskStatus,
} from '../src/index.js'
import { setup } from './helpers.js'

describe('TASK_TRANSITIONS', () => {
  it('lists every status and only known targets', () => {
    expect(Object.keys(TASK_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort())
    for (const targets of Object.values(TASK_TRANSITIONS))
      for (const to of targets) expect(TASK_STATUSES).toContain(to)
    expect(canTransition('pending', 'in_progress')).toBe(true)
    expect(canTransition('pending', 'done')).toBe(false)
    expect(canTransition('done', 'pending')).toBe(true)
    expect(canTransition('done', 'in_progress')).toBe(false)
  })

  it('the store accepts exactly the moves in the table', () => {
    const { store, projectId } = setup()
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
        const task = store.createTask({ projectId, title: `${from} → ${to}` })
        for (const step of routes[from]) store.transitionTask(task.id, step)
        const attempt = () => store.transitionTask(task.id, to)
        if (canTransition(from, to)) expect(attempt().status).toBe(to)
        else expect(attempt).toThrow(InvalidTransitionError)
      }
    }
  })
})

describe('transitionTask', () => {
  it('explains an invalid move', () => {
    const { store, projectId } = setup()
    const task = store.createTask({ projectId, title: 'a' })
    expect(() => store.transitionTask(task.id, 'done')).toThrow(
      `task ${task.id} cannot go from pending to done; from pending it can go to in_progress, blocked, cancelled`,
    )
    expect(store.requireTask(task.id).status).toBe('pending')
  })

  it('keeps timestamps, summary and failure reason', () => {
    const { store, projectId } = setup()
    const task = store.createTask({ projectId, title: 'a' })
    const started = store.transitionTask(task.id, 'in_progress')
    expect(started.startedAt).not.toBeNull()
    expect(started.finishedAt).toBeNull()
    const failed = store.transitionTask(task.id, 'failed', { summary: 'tests fail', reason: 'verify_failed' })
    expect(failed).toMatchObject({
      status: 'failed',
      resultSummary: 'tests fail',
      failureReason: 'verify_failed',
    })
    expect(failed.finishedAt).not.toBeNull()
    const reopened = store.transitionTask(task.id, 'pending')
    expect(reopened).toMatchObject({ status: 'pending', failureReason: null, finishedAt: null })
    store.transitionTask(task.id, 'in_progress')
    const done = store.transitionTask(task.id, 'done', { summary: 'fixed' })
    expect(done).toMatchObject({ status: 'done', resultSummary: 'fixed', failureReason: null })
    expect(done.finishedAt).not.toBeNull()
    expect(store.transitionTask(task.id, 'pending')).toMatchObject({ finishedAt: null })
  })

  it('starting needs every dependency done', () => {
    const { store, projectId } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b' })
    const c = store.createTask({ projectId, title: 'c', dependsOn: [a.id, b.id] })
    let error: unknown
    try {
      store.transitionTask(c.id, 'in_progress')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(DependencyNotDoneError)
    expect((error as DependencyNotDoneError).blockers).toEqual([a.id, b.id])
    expect((error as Error).message).toBe(
      `task ${c.id} cannot start: it depends on task ${a.id} (pending), task ${b.id} (pending), which must be done first`,
    )
    for (const id of [a.id, b.id]) {
      store.transitionTask(id, 'in_progress')
      store.transitionTask(id, 'done')
    }
    expect(store.transitionTask(c.id, 'in_progress').status).toBe('in_progress')
  })

  it('resetStaleTasks puts in-progress tasks back to pending and records it', () => {
    const { store, projectId, emitted } = setup()
    const a = store.createTask({ projectId, title: 'a' })
    const b = store.createTask({ projectId, title: 'b' })
    store.createTask({ projectId, title: 'c' })
    store.transitionTask(a.id, 'in_progress')
    store.transitionTask(b.id, 'in_progress')
    emitted.length = 0
    const reset = store.resetStaleTasks(projectId)
    expect(reset.map((t) => [t.id, t.status])).toEqual([
      [a.id, 'pending'],
      [b.id, 'pending'],
    ])
    expect(emitted.map((e) => e.type)).toEqual(['task.status_changed', 'task.status_changed'])
    expect(emitted[0]).toMatchObject({ from: 'in_progress', to: 'pending' })
    expect(store.resetStaleTasks(projectId)).toEqual([])
  })
})
