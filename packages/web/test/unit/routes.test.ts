import { describe, expect, it } from 'vitest'
import { matchRoute, paths } from '../../src/app/router/routes.js'

describe('routes', () => {
  it('parses every view', () => {
    expect(matchRoute('/')).toEqual({ name: 'sessions' })
    expect(matchRoute('/sessions')).toEqual({ name: 'sessions' })
    expect(matchRoute('/sessions/ses_1')).toEqual({ name: 'session', id: 'ses_1', tab: 'chat' })
    expect(matchRoute('/sessions/ses_1/checkpoints/')).toEqual({
      name: 'session',
      id: 'ses_1',
      tab: 'checkpoints',
    })
    expect(matchRoute('/projects')).toEqual({ name: 'projects' })
    expect(matchRoute('/projects/3')).toEqual({ name: 'project', id: 3, tab: 'board' })
    expect(matchRoute('/projects/3/graph')).toEqual({ name: 'project', id: 3, tab: 'graph' })
    expect(matchRoute('/projects/3/tasks/12')).toEqual({ name: 'project', id: 3, tab: 'board', taskId: 12 })
  })

  it('says not found for anything else', () => {
    for (const path of [
      '/nope',
      '/projects/x',
      '/projects/3/tasks/x',
      '/sessions/a/b',
      '/projects/1/graph/2',
    ]) {
      expect(matchRoute(path)).toEqual({ name: 'not-found', path })
    }
  })

  it('builds paths that parse back', () => {
    expect(matchRoute(paths.session('ses_a b'))).toEqual({ name: 'session', id: 'ses_a b', tab: 'chat' })
    expect(matchRoute(paths.checkpoints('s'))).toMatchObject({ tab: 'checkpoints' })
    expect(matchRoute(paths.mcp('s'))).toEqual({ name: 'session', id: 's', tab: 'mcp' })
    expect(matchRoute(paths.task(1, 2))).toMatchObject({ id: 1, taskId: 2 })
    expect(matchRoute(paths.graph(1))).toMatchObject({ tab: 'graph' })
  })
})
