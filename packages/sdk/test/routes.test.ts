import { fullPath, ROUTES, type RouteDeclaration } from '@penguin-ai/protocol/api'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PenguinClient } from '../src/index.js'
import { json, startServer, type TestServer } from './sse-server.js'

let server: TestServer
let client: PenguinClient

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.method === 'DELETE' && !req.url?.includes('/dependencies/')) {
      res.writeHead(204)
      res.end()
      return
    }
    if (req.url?.includes('format=mermaid')) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('graph TD')
      return
    }
    json(res, 200, { ok: true })
  })
  client = new PenguinClient({ baseUrl: `${server.url}/`, token: 't0k', headers: { 'x-extra': '1' } })
})
afterAll(() => server.close())

/** Every route of docs/api.md, called through the client: [call, method, path+query, body]. */
const CALLS: Array<[(c: PenguinClient) => Promise<unknown>, string, string, unknown]> = [
  [(c) => c.health(), 'GET', '/healthz', undefined],
  [(c) => c.ready(), 'GET', '/readyz', undefined],
  [(c) => c.openapi(), 'GET', '/api/v1/openapi.json', undefined],
  [(c) => c.metrics(), 'GET', '/metrics', undefined],
  [
    (c) => c.sessions.create({ workspace: '/w', auto_approve: true }),
    'POST',
    '/api/v1/sessions',
    { workspace: '/w', auto_approve: true },
  ],
  [
    (c) => c.sessions.list({ workspace: '/w x', limit: 5 }),
    'GET',
    '/api/v1/sessions?workspace=%2Fw+x&limit=5',
    undefined,
  ],
  [(c) => c.sessions.get('ses_1'), 'GET', '/api/v1/sessions/ses_1', undefined],
  [(c) => c.sessions.children('ses_1'), 'GET', '/api/v1/sessions/ses_1/children', undefined],
  [(c) => c.sessions.delete('ses_1'), 'DELETE', '/api/v1/sessions/ses_1', undefined],
  [(c) => c.sessions.mcp('ses_1'), 'GET', '/api/v1/sessions/ses_1/mcp', undefined],
  [
    (c) => c.sessions.mcp('ses_1', { refresh: true }),
    'GET',
    '/api/v1/sessions/ses_1/mcp?refresh=true',
    undefined,
  ],
  [
    (c) => c.sessions.fork('ses_1', { checkpoint_id: 3 }),
    'POST',
    '/api/v1/sessions/ses_1/fork',
    { checkpoint_id: 3 },
  ],
  [(c) => c.sessions.compact('ses_1'), 'POST', '/api/v1/sessions/ses_1/compact', undefined],
  [
    (c) => c.sessions.sendMessage('ses_1', 'hi'),
    'POST',
    '/api/v1/sessions/ses_1/messages',
    { content: 'hi' },
  ],
  [
    (c) => c.sessions.sendMessage('ses_1', 'hi', { agent: 'plan' }),
    'POST',
    '/api/v1/sessions/ses_1/messages',
    { content: 'hi', agent: 'plan' },
  ],
  [(c) => c.sessions.messages('ses_1'), 'GET', '/api/v1/sessions/ses_1/messages', undefined],
  [(c) => c.runs.get('run/1'), 'GET', '/api/v1/runs/run%2F1', undefined],
  [(c) => c.runs.cancel('r1'), 'POST', '/api/v1/runs/r1/cancel', {}],
  [
    (c) => c.permissions.list({ session_id: 'ses_1' }),
    'GET',
    '/api/v1/permissions?session_id=ses_1',
    undefined,
  ],
  [(c) => c.permissions.reply('p1', { reply: 'once' }), 'POST', '/api/v1/permissions/p1', { reply: 'once' }],
  [(c) => c.checkpoints.list('ses_1'), 'GET', '/api/v1/sessions/ses_1/checkpoints', undefined],
  [(c) => c.checkpoints.diff(4), 'GET', '/api/v1/checkpoints/4/diff', undefined],
  [(c) => c.checkpoints.restore(4), 'POST', '/api/v1/checkpoints/4/restore', {}],
  [
    (c) => c.checkpoints.restore(4, { keep_messages: 2 }),
    'POST',
    '/api/v1/checkpoints/4/restore',
    { keep_messages: 2 },
  ],
  [(c) => c.projects.list(), 'GET', '/api/v1/projects', undefined],
  [(c) => c.projects.create({ name: 'p' }), 'POST', '/api/v1/projects', { name: 'p' }],
  [(c) => c.projects.get(2), 'GET', '/api/v1/projects/2', undefined],
  [(c) => c.projects.update(2, { status: 'paused' }), 'PATCH', '/api/v1/projects/2', { status: 'paused' }],
  [(c) => c.projects.delete(2), 'DELETE', '/api/v1/projects/2', undefined],
  [
    (c) => c.projects.tasks(2, { status: ['pending', 'done'], ready: true }),
    'GET',
    '/api/v1/projects/2/tasks?status=pending%2Cdone&ready=true',
    undefined,
  ],
  [
    (c) => c.projects.addTask(2, { title: 't', depends_on: [1] }),
    'POST',
    '/api/v1/projects/2/tasks',
    { title: 't', depends_on: [1] },
  ],
  [(c) => c.projects.graph(2), 'GET', '/api/v1/projects/2/graph?format=json', undefined],
  [(c) => c.projects.graph(2, 'mermaid'), 'GET', '/api/v1/projects/2/graph?format=mermaid', undefined],
  [
    (c) => c.projects.plan(2, { spec: 's', dry_run: true }),
    'POST',
    '/api/v1/projects/2/plan',
    { spec: 's', dry_run: true },
  ],
  [(c) => c.projects.run(2, { max_tasks: 1 }), 'POST', '/api/v1/projects/2/run', { max_tasks: 1 }],
  [(c) => c.projects.cancelRun(2), 'POST', '/api/v1/projects/2/run/cancel', {}],
  [(c) => c.tasks.list(2, { ready: true }), 'GET', '/api/v1/projects/2/tasks?ready=true', undefined],
  [(c) => c.tasks.create(2, { title: 't' }), 'POST', '/api/v1/projects/2/tasks', { title: 't' }],
  [(c) => c.tasks.get(7), 'GET', '/api/v1/tasks/7', undefined],
  [(c) => c.tasks.update(7, { priority: 3 }), 'PATCH', '/api/v1/tasks/7', { priority: 3 }],
  [(c) => c.tasks.delete(7), 'DELETE', '/api/v1/tasks/7', undefined],
  [
    (c) => c.tasks.transition(7, { to: 'done', summary: 'ok' }),
    'POST',
    '/api/v1/tasks/7/transition',
    { to: 'done', summary: 'ok' },
  ],
  [(c) => c.tasks.addDependency(7, 3), 'POST', '/api/v1/tasks/7/dependencies', { depends_on: 3 }],
  [(c) => c.tasks.removeDependency(7, 3), 'DELETE', '/api/v1/tasks/7/dependencies/3', undefined],
  [
    (c) => c.memory.list({ scope: 'project:1', limit: 3 }),
    'GET',
    '/api/v1/memory?scope=project%3A1&limit=3',
    undefined,
  ],
  [
    (c) => c.memory.search('sqlite', { scope: ['project:1', 'workspace:/w'] }),
    'GET',
    '/api/v1/memory?scope=project%3A1&scope=workspace%3A%2Fw&q=sqlite',
    undefined,
  ],
  [
    (c) => c.memory.create({ scope: 's', content: 'c', tags: ['a'] }),
    'POST',
    '/api/v1/memory',
    { scope: 's', content: 'c', tags: ['a'] },
  ],
  [(c) => c.memory.delete(9), 'DELETE', '/api/v1/memory/9', undefined],
  [(c) => c.models.list(), 'GET', '/api/v1/models', undefined],
  [(c) => c.agents.list({ workspace: '/w' }), 'GET', '/api/v1/agents?workspace=%2Fw', undefined],
  [
    (c) => c.usage.get({ since: '2025-01-01T00:00:00Z' }),
    'GET',
    '/api/v1/usage?since=2025-01-01T00%3A00%3A00Z',
    undefined,
  ],
]

describe('every route', () => {
  test.each(CALLS.map((call, index) => [call[1], call[2], index] as const))(
    '%s %s',
    async (method, path, index) => {
      const [call, , , body] = CALLS[index]!
      const before = server.requests.length
      await call(client)
      const request = server.requests[before]!
      expect([request.method, request.path]).toEqual([method, path])
      expect(request.body ? JSON.parse(request.body) : undefined).toEqual(body)
      expect(request.headers.authorization).toBe('Bearer t0k')
      expect(request.headers['x-extra']).toBe('1')
      if (body !== undefined) expect(request.headers['content-type']).toBe('application/json')
    },
  )

  test('204 resolves to undefined, text routes to the text', async () => {
    await expect(client.sessions.delete('ses_1')).resolves.toBeUndefined()
    await expect(client.projects.graph(1, 'mermaid')).resolves.toBe('graph TD')
  })
})

/**
 * Routes the client has no method for, and why: the SDK covers every other declared route, and
 * every call above must land on a declared route with a query and body the route accepts.
 */
const NOT_CALLED: Record<string, string> = {
  'GET /api/v1/docs': 'an HTML page for people',
  'GET /api/v1/ws': 'the WebSocket (the SDK streams with SSE)',
  'POST /api/v1/github/webhook': "GitHub's deliveries, not a client's",
  // Streamed through EventStream (client.events / sessions.events), tested in sse.test.ts.
  'GET /api/v1/events': 'EventStream',
  'GET /api/v1/sessions/{id}/events': 'EventStream',
}

function declared(method: string, path: string): RouteDeclaration | undefined {
  return ROUTES.find((route) => {
    if (route.method.toUpperCase() !== method) return false
    const pattern = fullPath(route).replace(/\{[^}]+\}/g, '[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  })
}

describe('the calls match the route declarations (@penguin-ai/protocol)', () => {
  test.each(CALLS.map((call) => [call[1], call[2], call[3]] as const))(
    '%s %s is declared, with a query and body it accepts',
    (method, target, body) => {
      const url = new URL(target, 'http://x')
      const route = declared(method, url.pathname)
      expect(route, `${method} ${url.pathname} is declared`).toBeDefined()
      const query: Record<string, string | string[]> = {}
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key)
        query[key] = values.length > 1 ? values : values[0]!
      }
      if (route!.query) {
        // Repeated values (memory scopes) are read by the route itself; the schema sees the first.
        const first = Object.fromEntries(
          Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        )
        expect(route!.query.safeParse(first).error).toBeUndefined()
      } else expect(query).toEqual({})
      if (route!.body) expect(route!.body.safeParse(body ?? {}).error).toBeUndefined()
      // Body-less routes: the client sends nothing or an empty object.
      else expect([undefined, '{}']).toContain(body === undefined ? undefined : JSON.stringify(body))
    },
  )

  test('every declared route has a client call (or says why not)', () => {
    const called = new Set(
      CALLS.map(([, method, target]) => {
        const route = declared(method, new URL(target, 'http://x').pathname)
        return route ? `${method} ${fullPath(route)}` : ''
      }),
    )
    const missing = ROUTES.map((route) => `${route.method.toUpperCase()} ${fullPath(route)}`).filter(
      (key) => !called.has(key) && !(key in NOT_CALLED),
    )
    expect(missing).toEqual([])
  })
})
