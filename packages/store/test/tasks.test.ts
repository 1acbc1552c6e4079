import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../src/index.js'
import { setup } from './helpers.js'

function validationField(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).field
  }
  throw new Error('expected a ValidationError')
}

describe('tasks', () => {
  it('creates a task with every field and defaults', () => {
    const { store, projectId } = setup()
    const task = store.createTask({
      projectId,
      title: '  Add pagination  ',
      description: 'to /users',
      acceptanceCriteria: ['pages of 20', 'next link'],
      verifyCommand: 'npm test',
      priority: 2,
      budgetTokens: 50_000,
      budgetUsd: 1.5,
    })
    expect(task).toMatchObject({
      projectId,
      parentId: null,
      title: 'Add pagination',
      description: 'to /users',
      acceptanceCriteria: ['pages of 20', 'next link'],
      verifyCommand: 'npm test',
      status: 'pending',
      priority: 2,
      budgetTokens: 50_000,
      budgetUsd: 1.5,
      tokensUsed: 0,
      costUsd: 0,
      resultSummary: null,
      failureReason: null,
      dependsOn: [],
      startedAt: null,
      finishedAt: null,
    })
    expect(store.getTask(task.id)).toEqual(task)
    expect(store.createTask({ projectId, title: 'b' })).toMatchObject({ priority: 0, acceptanceCriteria: [] })
  })

  it('returns the same record, every field in place, from every way of reading tasks', () => {
    const { store, projectId } = setup()
    const parent = store.createTask({ projectId, title: 'parent' })
    const first = store.createTask({ projectId, title: 'first' })
    const second = store.createTask({ projectId, title: 'second' })
    const task = store.createTask({
      projectId,
      parentId: parent.id,
      title: 'everything',
      description: 'all set',
      acceptanceCriteria: ['one', 'two'],
      verifyCommand: 'true',
      priority: 3,
      budgetTokens: 9_000,
      budgetUsd: 2.25,
      dependsOn: [second.id, first.id],
    })
    for (const id of [first.id, second.id]) {
      store.transitionTask(id, 'in_progress')
      store.transitionTask(id, 'done')
    }
    store.transitionTask(task.id, 'in_progress')
    store.addTaskUsage(task.id, { tokens: 1_234, costUsd: 0.5 })
    const failed = store.transitionTask(task.id, 'failed', { summary: 'tried', reason: 'verify_failed' })
    expect(failed).toMatchObject({
      id: task.id,
      projectId,
      parentId: parent.id,
      title: 'everything',
      description: 'all set',
      acceptanceCriteria: ['one', 'two'],
      verifyCommand: 'true',
      status: 'failed',
      priority: 3,
      budgetTokens: 9_000,
      budgetUsd: 2.25,
      tokensUsed: 1_234,
      costUsd: 0.5,
      resultSummary: 'tried',
      failureReason: 'verify_failed',
      dependsOn: [first.id, second.id],
    })
    for (const stamp of [failed.createdAt, failed.updatedAt, failed.startedAt, failed.finishedAt])
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(store.getTask(task.id)).toEqual(failed)
    expect(store.listTasks(projectId).find((t) => t.id === task.id)).toEqual(failed)
    expect(store.getGraph(projectId).tasks.find((t) => t.id === task.id)).toEqual(failed)
    expect(store.getDependents(first.id)).toEqual([failed])
    store.transitionTask(task.id, 'pending')
    const pending = store.requireTask(task.id)
    expect(store.readyTasks(projectId).find((t) => t.id === task.id)).toEqual(pending)
    expect(store.getDependencies(task.id).map((t) => t.id)).toEqual([first.id, second.id])
  })

  it('validates input and names the field', () => {
    const { store, projectId } = setup()
    expect(validationField(() => store.createTask({ projectId, title: ' ' }))).toBe('title')
    expect(() => store.createTask({ projectId, title: '' })).toThrow('title must not be empty')
    expect(validationField(() => store.createTask({ projectId, title: 'a', priority: 1.5 }))).toBe('priority')
    expect(validationField(() => store.createTask({ projectId, title: 'a', budgetUsd: -2 }))).toBe(
      'budgetUsd',
    )
    expect(validationField(() => store.createTask({ projectId, title: 'a', budgetUsd: Infinity }))).toBe(
      'budgetUsd',
    )
    expect(validationField(() => store.createTask({ projectId, title: 'a', budgetTokens: -1 }))).toBe(
      'budgetTokens',
    )
    expect(
      validationField(() => store.createTask({ projectId, title: 'a', acceptanceCriteria: [1] as never })),
    ).toBe('acceptanceCriteria')
    expect(() => store.createTask({ projectId: 99, title: 'a' })).toThrow(new NotFoundError('project', 99))
    expect(store.listTasks(projectId)).toEqual([])
  })

  it('updates fields and records task.updated', () => {
    const { store, projectId, emitted } = setup()
    const task = store.createTask({ projectId, title: 'a' })
    const updated = store.updateTask(task.id, {
      title: 'b',
      description: null,
      acceptanceCriteria: ['x'],
      priority: 3,
      budgetUsd: null,
      resultSummary: 'half way',
    })
    expect(updated).toMatchObject({
      title: 'b',
      acceptanceCriteria: ['x'],
      priority: 3,
      resultSummary: 'half way',
    })
    expect(emitted.at(-1)).toMatchObject({ type: 'task.updated', task: updated })
    expect(validationField(() => store.updateTask(task.id, { title: '' }))).toBe('title')
    expect(() => store.updateTask(404, { title: 'x' })).toThrow('task 404 not found')
  })

  it('adds usage', () => {
    const { store, projectId } = setup()
    const task = store.createTask({ projectId, title: 'a' })
    store.addTaskUsage(task.id, { tokens: 10, costUsd: 0.01 })
    expect(store.addTaskUsage(task.id, { tokens: 5, costUsd: 0.02, seconds: 9 })).toMatchObject({
      tokensUsed: 15,
      costUsd: 0.03,
    })
    expect(validationField(() => store.addTaskUsage(task.id, { tokens: 1.5, costUsd: 0 }))).toBe('tokens')
    expect(() => store.addTaskUsage(404, { tokens: 1, costUsd: 0 })).toThrow(NotFoundError)
  })
})

describe('runs', () => {
  it('starts and finishes runs, lists newest first', () => {
    const { store, projectId, emitted } = setup()
    const task = store.createTask({ projectId, title: 'a' })
    const first = store.startRun({ taskId: task.id, model: 'openai/gpt-4o' })
    expect(first).toMatchObject({ projectId, taskId: task.id, status: 'running', endedAt: null, turns: 0 })
    const second = store.startRun({ projectId, model: 'scripted' })
    const loose = store.startRun({ model: 'scripted' })
    expect(loose).toMatchObject({ projectId: null, taskId: null })
    const finished = store.finishRun(first.id, {
      status: 'completed',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.01,
      turns: 3,
      finalText: 'done',
    })
    expect(finished).toMatchObject({ status: 'completed', inputTokens: 100, turns: 3, finalText: 'done' })
    expect(finished.endedAt).not.toBeNull()
    expect(() => store.finishRun(first.id, { status: 'failed' })).toThrow(/already finished/)
    expect(() => store.finishRun(404, { status: 'failed' })).toThrow('run 404 not found')
    expect(store.listRuns().map((r) => r.id)).toEqual([loose.id, second.id, first.id])
    expect(store.listRuns({ projectId }).map((r) => r.id)).toEqual([second.id, first.id])
    expect(store.listRuns({ taskId: task.id, limit: 5 }).map((r) => r.id)).toEqual([first.id])
    expect(store.listRuns({ limit: 1 })).toHaveLength(1)
    expect(emitted.filter((e) => e.type.startsWith('run.')).map((e) => e.type)).toEqual([
      'run.started',
      'run.started',
      'run.started',
      'run.finished',
    ])
    const other = store.createProject({ name: 'other' })
    expect(() => store.startRun({ projectId: other.id, taskId: task.id, model: 'm' })).toThrow(
      ValidationError,
    )
    expect(() => store.startRun({ model: '' })).toThrow(ValidationError)
    // A run outlives its task.
    store.deleteTask(task.id)
    expect(store.getRun(first.id)).toMatchObject({ taskId: null, projectId })
  })
})
