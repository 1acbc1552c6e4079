import { isAbsolute } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, resolveDbPath, ValidationError } from '../src/index.js'
import { BACKENDS, openBackend } from './helpers.js'

describe.each(BACKENDS)('projects (%s)', (backend) => {
  it('creates, finds, updates and lists projects', async () => {
    const store = await openBackend(backend)
    const created = await store.createProject({ name: 'web', description: 'the site', budgetUsd: 5 })
    expect(created).toMatchObject({
      id: 1,
      name: 'web',
      description: 'the site',
      workspace: null,
      status: 'active',
      budgetUsd: 5,
      tokensUsed: 0,
      costUsd: 0,
    })
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt)
    expect((await store.requireProject('web')).id).toBe(created.id)
    expect((await store.requireProject(String(created.id))).name).toBe('web')
    expect((await store.requireProject(created.id)).name).toBe('web')
    const updated = await store.updateProject(created.id, {
      status: 'paused',
      workspace: '/tmp/web',
      name: 'site',
    })
    expect(updated).toMatchObject({ status: 'paused', workspace: '/tmp/web', name: 'site' })
    await store.createProject({ name: 'api' })
    expect((await store.listProjects()).map((p) => p.name)).toEqual(['site', 'api'])
    expect(await store.findProjectByName('web')).toBeUndefined()
  })

  it('names what is missing', async () => {
    const store = await openBackend(backend)
    await expect(store.requireProject('nope')).rejects.toThrow(new NotFoundError('project', 'nope'))
    await expect(store.requireProject('nope')).rejects.toThrow('project "nope" not found')
    await expect(store.requireProject(7)).rejects.toThrow('project 7 not found')
    await expect(store.updateProject(7, { name: 'x' })).rejects.toThrow(NotFoundError)
  })

  it('rejects a taken name with a ConflictError', async () => {
    const store = await openBackend(backend)
    await store.createProject({ name: 'web' })
    const other = await store.createProject({ name: 'api' })
    await expect(store.createProject({ name: 'web' })).rejects.toThrow(ConflictError)
    await expect(store.updateProject(other.id, { name: 'web' })).rejects.toThrow(
      'project "web" already exists',
    )
  })

  it('validates names, budgets, workspaces and statuses, naming the field', async () => {
    const store = await openBackend(backend)
    const fieldOf = async (fn: () => Promise<unknown>) => {
      try {
        await fn()
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError)
        return (error as ValidationError).field
      }
      throw new Error('expected a ValidationError')
    }
    expect(await fieldOf(() => store.createProject({ name: '  ' }))).toBe('name')
    expect(await fieldOf(() => store.createProject({ name: '42' }))).toBe('name')
    expect(await fieldOf(() => store.createProject({ name: 'a', budgetUsd: -1 }))).toBe('budgetUsd')
    expect(await fieldOf(() => store.createProject({ name: 'a', budgetTokens: 1.5 }))).toBe('budgetTokens')
    expect(await fieldOf(() => store.createProject({ name: 'a', budgetSeconds: Number.NaN }))).toBe(
      'budgetSeconds',
    )
    expect(await fieldOf(() => store.createProject({ name: 'a', workspace: 'relative/dir' }))).toBe(
      'workspace',
    )
    const id = (await store.createProject({ name: 'a' })).id
    expect(await fieldOf(() => store.updateProject(id, { status: 'bogus' as never }))).toBe('status')
    expect(await store.listProjects()).toHaveLength(1)
  })

  it('adds usage and deletes a project with its tasks and runs', async () => {
    const store = await openBackend(backend)
    const project = await store.createProject({ name: 'web' })
    await store.addProjectUsage(project.id, { tokens: 100, costUsd: 0.5, seconds: 3 })
    expect(await store.addProjectUsage(project.id, { tokens: 20, costUsd: 0.25 })).toMatchObject({
      tokensUsed: 120,
      costUsd: 0.75,
      secondsUsed: 3,
    })
    await expect(store.addProjectUsage(project.id, { tokens: -1, costUsd: 0 })).rejects.toThrow(
      ValidationError,
    )
    const task = await store.createTask({ projectId: project.id, title: 'a' })
    const run = await store.startRun({ taskId: task.id, model: 'openai/gpt-4o' })
    await store.deleteProject(project.id)
    expect(await store.getProject(project.id)).toBeUndefined()
    expect(await store.getTask(task.id)).toBeUndefined()
    expect(await store.getRun(run.id)).toBeUndefined()
    expect((await store.listEvents()).at(-1)).toMatchObject({
      type: 'project.deleted',
      projectId: project.id,
    })
  })
})

describe('resolveDbPath', () => {
  it('prefers PENGUIN_DB, then PENGUIN_HOME, then ~/.local/share/penguin', async () => {
    expect(resolveDbPath({ PENGUIN_DB: '/x/y.db', PENGUIN_HOME: '/h' }, '/home/u')).toBe('/x/y.db')
    expect(resolveDbPath({ PENGUIN_HOME: '/h' }, '/home/u')).toBe('/h/penguin.db')
    expect(resolveDbPath({}, '/home/u')).toBe('/home/u/.local/share/penguin/penguin.db')
    expect(resolveDbPath({ PENGUIN_DB: ':memory:' }, '/home/u')).toBe(':memory:')
    expect(isAbsolute(resolveDbPath({ PENGUIN_DB: 'rel.db' }))).toBe(true)
  })
})
