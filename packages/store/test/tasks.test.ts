import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../src/index.js'
import { BACKENDS, setupBackend } from './helpers.js'

async function validationField(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).field
  }
  throw new Error('expected a ValidationError')
}

describe.each(BACKENDS)('tasks (%s)', (backend) => {
  it('creates a task with every field and defaults', async () => {
    const { store, projectId } = await setupBackend(backend)
    const task = await store.createTask({
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
    expect(await store.getTask(task.id)).toEqual(task)
    expect(await store.createTask({ projectId, title: 'b' })).toMatchObject({
      priority: 0,
      acceptanceCriteria: [],
    })
  })

  it('returns the same record, every field in place, from every way of reading tasks', async () => {
    const { store, projectId } = await setupBackend(backend)
    const parent = await store.createTask({ projectId, title: 'parent' })
    const first = await store.createTask({ projectId, title: 'first' })
    const second = await store.createTask({ projectId, title: 'second' })
    const task = await store.createTask({
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
      await store.transitionTask(id, 'in_progress')
      await store.transitionTask(id, 'done')
    }
    await store.transitionTask(task.id, 'in_progress')
    await store.addTaskUsage(task.id, { tokens: 1_234, costUsd: 0.5 })
    const failed = await store.transitionTask(task.id, 'failed', {
      summary: 'tried',
      reason: 'verify_failed',
    })
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
    expect(await store.getTask(task.id)).toEqual(failed)
    expect((await store.listTasks(projectId)).find((t) => t.id === task.id)).toEqual(failed)
    expect((await store.getGraph(projectId)).tasks.find((t) => t.id === task.id)).toEqual(failed)
    expect(await store.getDependents(first.id)).toEqual([failed])
    await store.transitionTask(task.id, 'pending')
    const pending = await store.requireTask(task.id)
    expect((await store.readyTasks(projectId)).find((t) => t.id === task.id)).toEqual(pending)
    expect((await store.getDependencies(task.id)).map((t) => t.id)).toEqual([first.id, second.id])
  })

  it('validates input and names the field', async () => {
    const { store, projectId } = await setupBackend(backend)
    expect(await validationField(() => store.createTask({ projectId, title: ' ' }))).toBe('title')
    await expect(store.createTask({ projectId, title: '' })).rejects.toThrow('title must not be empty')
    expect(await validationField(() => store.createTask({ projectId, title: 'a', priority: 1.5 }))).toBe(
      'priority',
    )
    expect(await validationField(() => store.createTask({ projectId, title: 'a', budgetUsd: -2 }))).toBe(
      'budgetUsd',
    )
    expect(
      await validationField(() => store.createTask({ projectId, title: 'a', budgetUsd: Infinity })),
    ).toBe('budgetUsd')
    expect(await validationField(() => store.createTask({ projectId, title: 'a', budgetTokens: -1 }))).toBe(
      'budgetTokens',
    )
    expect(
      await validationField(() =>
        store.createTask({ projectId, title: 'a', acceptanceCriteria: [1] as never }),
      ),
    ).toBe('acceptanceCriteria')
    await expect(store.createTask({ projectId: 99, title: 'a' })).rejects.toThrow(
      new NotFoundError('project', 99),
    )
    expect(await store.listTasks(projectId)).toEqual([])
  })

  it('updates fields and records task.updated', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    const task = await store.createTask({ projectId, title: 'a' })
    const updated = await store.updateTask(task.id, {
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
    expect(await validationField(() => store.updateTask(task.id, { title: '' }))).toBe('title')
    await expect(store.updateTask(404, { title: 'x' })).rejects.toThrow('task 404 not found')
  })

  it('adds usage', async () => {
    const { store, projectId } = await setupBackend(backend)
    const task = await store.createTask({ projectId, title: 'a' })
    await store.addTaskUsage(task.id, { tokens: 10, costUsd: 0.01 })
    expect(await store.addTaskUsage(task.id, { tokens: 5, costUsd: 0.02, seconds: 9 })).toMatchObject({
      tokensUsed: 15,
      costUsd: 0.03,
    })
    expect(await validationField(() => store.addTaskUsage(task.id, { tokens: 1.5, costUsd: 0 }))).toBe(
      'tokens',
    )
    await expect(store.addTaskUsage(404, { tokens: 1, costUsd: 0 })).rejects.toThrow(NotFoundError)
  })
})

describe.each(BACKENDS)('runs (%s)', (backend) => {
  it('starts and finishes runs, lists newest first', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    const task = await store.createTask({ projectId, title: 'a' })
    const first = await store.startRun({ taskId: task.id, model: 'openai/gpt-4o' })
    expect(first).toMatchObject({ projectId, taskId: task.id, status: 'running', endedAt: null, turns: 0 })
    const second = await store.startRun({ projectId, model: 'scripted' })
    const loose = await store.startRun({ model: 'scripted' })
    expect(loose).toMatchObject({ projectId: null, taskId: null })
    const finished = await store.finishRun(first.id, {
      status: 'completed',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.01,
      turns: 3,
      finalText: 'done',
    })
    expect(finished).toMatchObject({ status: 'completed', inputTokens: 100, turns: 3, finalText: 'done' })
    expect(finished.endedAt).not.toBeNull()
    await expect(store.finishRun(first.id, { status: 'failed' })).rejects.toThrow(/already finished/)
    await expect(store.finishRun(404, { status: 'failed' })).rejects.toThrow('run 404 not found')
    expect((await store.listRuns()).map((r) => r.id)).toEqual([loose.id, second.id, first.id])
    expect((await store.listRuns({ projectId })).map((r) => r.id)).toEqual([second.id, first.id])
    expect((await store.listRuns({ taskId: task.id, limit: 5 })).map((r) => r.id)).toEqual([first.id])
    expect(await store.listRuns({ limit: 1 })).toHaveLength(1)
    expect(emitted.filter((e) => e.type.startsWith('run.')).map((e) => e.type)).toEqual([
      'run.started',
      'run.started',
      'run.started',
      'run.finished',
    ])
    const other = await store.createProject({ name: 'other' })
    await expect(store.startRun({ projectId: other.id, taskId: task.id, model: 'm' })).rejects.toThrow(
      ValidationError,
    )
    await expect(store.startRun({ model: '' })).rejects.toThrow(ValidationError)
    // A run outlives its task.
    await store.deleteTask(task.id)
    expect(await store.getRun(first.id)).toMatchObject({ taskId: null, projectId })
  })
})
