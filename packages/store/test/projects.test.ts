import { isAbsolute } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, resolveDbPath, ValidationError } from '../src/index.js'
import { tempStore } from './helpers.js'

describe('projects', () => {
  it('creates, finds, updates and lists projects', () => {
    const store = tempStore()
    const created = store.createProject({ name: 'web', description: 'the site', budgetUsd: 5 })
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
    expect(store.requireProject('web').id).toBe(created.id)
    expect(store.requireProject(String(created.id)).name).toBe('web')
    expect(store.requireProject(created.id).name).toBe('web')
    const updated = store.updateProject(created.id, { status: 'paused', workspace: '/tmp/web', name: 'site' })
    expect(updated).toMatchObject({ status: 'paused', workspace: '/tmp/web', name: 'site' })
    store.createProject({ name: 'api' })
    expect(store.listProjects().map((p) => p.name)).toEqual(['site', 'api'])
    expect(store.findProjectByName('web')).toBeUndefined()
  })

  it('names what is missing', () => {
    const store = tempStore()
    expect(() => store.requireProject('nope')).toThrow(new NotFoundError('project', 'nope'))
    expect(() => store.requireProject('nope')).toThrow('project "nope" not found')
    expect(() => store.requireProject(7)).toThrow('project 7 not found')
    expect(() => store.updateProject(7, { name: 'x' })).toThrow(NotFoundError)
  })

  it('rejects a taken name with a ConflictError', () => {
    const store = tempStore()
    store.createProject({ name: 'web' })
    const other = store.createProject({ name: 'api' })
    expect(() => store.createProject({ name: 'web' })).toThrow(ConflictError)
    expect(() => store.updateProject(other.id, { name: 'web' })).toThrow('project "web" already exists')
  })

  it('validates names, budgets, workspaces and statuses, naming the field', () => {
    const store = tempStore()
    const fieldOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError)
        return (error as ValidationError).field
      }
      throw new Error('expected a ValidationError')
    }
    expect(fieldOf(() => store.createProject({ name: '  ' }))).toBe('name')
    expect(fieldOf(() => store.createProject({ name: '42' }))).toBe('name')
    expect(fieldOf(() => store.createProject({ name: 'a', budgetUsd: -1 }))).toBe('budgetUsd')
    expect(fieldOf(() => store.createProject({ name: 'a', budgetTokens: 1.5 }))).toBe('budgetTokens')
    expect(fieldOf(() => store.createProject({ name: 'a', budgetSeconds: Number.NaN }))).toBe('budgetSeconds')
    expect(fieldOf(() => store.createProject({ name: 'a', workspace: 'relative/dir' }))).toBe('workspace')
    const id = store.createProject({ name: 'a' }).id
    expect(fieldOf(() => store.updateProject(id, { status: 'bogus' as never }))).toBe('status')
    expect(store.listProjects()).toHaveLength(1)
  })

  it('adds usage and deletes a project with its tasks and runs', () => {
    const store = tempStore()
    const project = store.createProject({ name: 'web' })
    store.addProjectUsage(project.id, { tokens: 100, costUsd: 0.5, seconds: 3 })
    expect(store.addProjectUsage(project.id, { tokens: 20, costUsd: 0.25 })).toMatchObject({
      tokensUsed: 120,
      costUsd: 0.75,
      secondsUsed: 3,
    })
    expect(() => store.addProjectUsage(project.id, { tokens: -1, costUsd: 0 })).toThrow(ValidationError)
    const task = store.createTask({ projectId: project.id, title: 'a' })
    const run = store.startRun({ taskId: task.id, model: 'openai/gpt-4o' })
    store.deleteProject(project.id)
    expect(store.getProject(project.id)).toBeUndefined()
    expect(store.getTask(task.id)).toBeUndefined()
    expect(store.getRun(run.id)).toBeUndefined()
    expect(store.listEvents().at(-1)).toMatchObject({ type: 'project.deleted', projectId: project.id })
  })
})

describe('resolveDbPath', () => {
  it('prefers PENGUIN_DB, then PENGUIN_HOME, then ~/.local/share/penguin', () => {
    expect(resolveDbPath({ PENGUIN_DB: '/x/y.db', PENGUIN_HOME: '/h' }, '/home/u')).toBe('/x/y.db')
    expect(resolveDbPath({ PENGUIN_HOME: '/h' }, '/home/u')).toBe('/h/penguin.db')
    expect(resolveDbPath({}, '/home/u')).toBe('/home/u/.local/share/penguin/penguin.db')
    expect(resolveDbPath({ PENGUIN_DB: ':memory:' }, '/home/u')).toBe(':memory:')
    expect(isAbsolute(resolveDbPath({ PENGUIN_DB: 'rel.db' }))).toBe(true)
  })
})
