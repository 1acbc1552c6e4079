import { OpenAPIHono } from '@hono/zod-openapi'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { buildDocument } from '../src/openapi/document.js'
import { memoryRoutes } from '../src/routes/memory.js'
import { catalogueProvider, modelRoutes } from '../src/routes/models.js'
import { projectRoutes } from '../src/routes/projects.js'
import { taskRoutes } from '../src/routes/tasks.js'
import { usageRoutes } from '../src/routes/usage.js'
import { harness } from './resources-helpers.js'

describe('memory', () => {
  it('saves, lists by scope, searches and deletes memories', async () => {
    const h = await harness()
    const session = h.store.createSession({ workspace: h.workspace })
    const save = (body: Record<string, unknown>) => h.request('POST', '/memory', body)
    // A workspace scope names a directory: it must lie under the server's root.
    const w = `workspace:${h.workspace}`
    const tests = await save({
      scope: 'project:1',
      content: 'run tests with pnpm test',
      tags: ['testing', ' testing '],
      session_id: session.id,
    })
    expect(tests.status).toBe(201)
    expect(tests.body).toMatchObject({
      scope: 'project:1',
      content: 'run tests with pnpm test',
      tags: ['testing'],
      session_id: session.id,
    })
    const api = (await save({ scope: w, content: 'the API lives in src/api' })).body
    await save({ scope: 'project:2', content: 'tests elsewhere' })

    const one = await h.request('GET', '/memory?scope=project:1')
    expect(one.body.items.map((m: { id: number }) => m.id)).toEqual([tests.body.id])
    const both = await h.request('GET', `/memory?scope=project:1&scope=${encodeURIComponent(w)}&limit=1`)
    expect(both.body.items.map((m: { id: number }) => m.id)).toEqual([api.id])

    const found = await h.request(
      'GET',
      `/memory?scope=project:1&scope=${encodeURIComponent(w)}&q=how%20do%20we%20run%20the%20tests%3F`,
    )
    expect(found.status).toBe(200)
    expect(found.body.items).toHaveLength(1)
    expect(found.body.items[0]).toMatchObject({ id: tests.body.id, snippet: expect.stringContaining('«') })
    expect(typeof found.body.items[0].rank).toBe('number')

    expect((await h.request('DELETE', `/memory/${api.id}`)).status).toBe(204)
    expect((await h.request('DELETE', `/memory/${api.id}`)).status).toBe(404)
    expect((await h.request('GET', `/memory?scope=${encodeURIComponent(w)}`)).body.items).toEqual([])
    expect(h.unexpected).toEqual([])
  })

  it('rejects bad input with the failing fields', async () => {
    const h = await harness()
    const noScope = await h.request('GET', '/memory')
    expect(noScope.status).toBe(400)
    expect(noScope.body.error.details.issues[0].path).toBe('scope')
    expect((await h.request('GET', '/memory?scope=s&limit=0')).body.error.details.issues[0].path).toBe(
      'limit',
    )
    const empty = await h.request('POST', '/memory', { scope: 's', content: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.body.error.details.issues[0].path).toBe('content')
    expect(
      (await h.request('POST', '/memory', { scope: 's', content: 'x', session_id: 'ses_none' })).status,
    ).toBe(404)
    expect((await h.request('DELETE', '/memory/abc')).status).toBe(400)
    const wordless = await h.request('GET', '/memory?scope=s&q=%3F%21')
    expect(wordless.status).toBe(400)
    expect(wordless.body.error.details.issues[0].path).toBe('q')
    expect(h.unexpected).toEqual([])
  })
})

describe('models', () => {
  it('lists the catalogue with limits, prices and the default model', async () => {
    const h = await harness()
    const models = await h.request('GET', '/models')
    expect(models.status).toBe(200)
    expect(models.body.default).toBe('openai/gpt-4o')
    expect(models.body.items).toContainEqual({
      id: 'openai/gpt-4o',
      provider: 'openai',
      context_window: 128_000,
      max_output_tokens: 16_384,
      input_price: 2.5,
      output_price: 10,
      cached_input_price: 1.25,
      cache_write_price: null,
      images: true,
      reasoning: false,
    })
    expect(models.body.items).toContainEqual(
      expect.objectContaining({
        id: 'anthropic/claude-sonnet-4-5',
        input_price: 3,
        cached_input_price: 0.3,
        cache_write_price: 3.75,
        images: true,
        reasoning: true,
      }),
    )
    const ids = models.body.items.map((m: { id: string }) => m.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'anthropic/claude-sonnet-4',
        'gemini/gemini-2.5-pro',
        'together/llama-3.3-70b',
      ]),
    )
    expect(new Set(ids).size).toBe(ids.length)
    await expect((await harness({ defaultModel: null })).request('GET', '/models')).resolves.toMatchObject({
      body: { default: null },
    })
  })

  it('names the provider of every catalogue entry', () => {
    expect(catalogueProvider({ name: 'o3-mini' })).toBe('openai')
    expect(catalogueProvider({ name: 'gpt-oss-120b' })).toBe('groq')
    expect(catalogueProvider({ name: 'deepseek-chat' })).toBe('deepseek')
    expect(catalogueProvider({ name: 'codestral' })).toBe('mistral')
    expect(catalogueProvider({ name: 'grok-4' })).toBe('xai')
    expect(catalogueProvider({ name: 'kimi-k2' })).toBe('groq')
  })
})

describe('usage', () => {
  it('sums what runs and sessions spent, since a time', async () => {
    const h = await harness()
    const project = h.store.createProject({ name: 'shop' })
    const run = h.store.startRun({ projectId: project.id, model: 'openai/gpt-4o' })
    h.store.finishRun(run.id, {
      status: 'completed',
      inputTokens: 100,
      outputTokens: 10,
      cacheReadTokens: 60,
      cacheWriteTokens: 30,
      costUsd: 0.25,
    })
    const session = h.store.createSession({ workspace: h.workspace, model: 'openai/gpt-4o-mini' })
    h.store.appendMessages(session.id, [
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      {
        role: 'assistant',
        parts: [{ type: 'text', text: 'hello' }],
        model: 'openai/gpt-4o-mini',
        inputTokens: 7,
        outputTokens: 3,
        cacheReadTokens: 4,
        costUsd: 0.001,
      },
    ])

    const usage = await h.request('GET', '/usage')
    expect(usage.status).toBe(200)
    expect(usage.body).toEqual({
      since: null,
      total: {
        input_tokens: 107,
        output_tokens: 13,
        cache_read_tokens: 64,
        cache_write_tokens: 30,
        cost_usd: 0.251,
        runs: 2,
      },
      by_model: [
        {
          model: 'openai/gpt-4o',
          input_tokens: 100,
          output_tokens: 10,
          cache_read_tokens: 60,
          cache_write_tokens: 30,
          cost_usd: 0.25,
          runs: 1,
        },
        {
          model: 'openai/gpt-4o-mini',
          input_tokens: 7,
          output_tokens: 3,
          cache_read_tokens: 4,
          cache_write_tokens: 0,
          cost_usd: 0.001,
          runs: 1,
        },
      ],
      by_project: [
        {
          project_id: project.id,
          name: 'shop',
          input_tokens: 100,
          output_tokens: 10,
          cache_read_tokens: 60,
          cache_write_tokens: 30,
          cost_usd: 0.25,
          runs: 1,
        },
      ],
    })

    const later = await h.request('GET', '/usage?since=2999-01-01T00:00:00Z')
    expect(later.body).toMatchObject({
      since: '2999-01-01T00:00:00Z',
      total: { runs: 0, cost_usd: 0 },
      by_model: [],
    })
    expect((await h.request('GET', '/usage?since=2000-01-01')).body.total.runs).toBe(2)
    const bad = await h.request('GET', '/usage?since=yesterday')
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.issues[0].path).toBe('since')
  })
})

describe('the OpenAPI document', () => {
  it('documents every resource route with its schemas', async () => {
    const h = await harness()
    // Mounted the way createApp mounts them.
    const api = new OpenAPIHono()
    for (const routes of [projectRoutes, taskRoutes, memoryRoutes, modelRoutes, usageRoutes])
      api.route('/', routes(h.deps))
    const app = new OpenAPIHono()
    app.route('/api/v1', api)
    const document = buildDocument(app, 'test') as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>
      components: { schemas: Record<string, unknown> }
    }
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(operations.sort()).toEqual(
      [
        'GET /api/v1/projects',
        'POST /api/v1/projects',
        'GET /api/v1/projects/{id}',
        'PATCH /api/v1/projects/{id}',
        'DELETE /api/v1/projects/{id}',
        'GET /api/v1/projects/{id}/graph',
        'POST /api/v1/projects/{id}/plan',
        'POST /api/v1/projects/{id}/run',
        'POST /api/v1/projects/{id}/run/cancel',
        'GET /api/v1/projects/{id}/tasks',
        'POST /api/v1/projects/{id}/tasks',
        'GET /api/v1/tasks/{id}',
        'PATCH /api/v1/tasks/{id}',
        'DELETE /api/v1/tasks/{id}',
        'POST /api/v1/tasks/{id}/transition',
        'POST /api/v1/tasks/{id}/dependencies',
        'DELETE /api/v1/tasks/{id}/dependencies/{dep}',
        'GET /api/v1/memory',
        'POST /api/v1/memory',
        'DELETE /api/v1/memory/{id}',
        'GET /api/v1/models',
        'GET /api/v1/usage',
      ].sort(),
    )
    const result = await new Validator().validate(document as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const plan = document.paths['/api/v1/projects/{id}/plan']?.post
    expect(Object.keys(plan?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404', '422', '502']))
    expect(plan?.requestBody).toBeDefined()
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Project',
        'Task',
        'PlanResult',
        'Memory',
        'Model',
        'UsageSummary',
        'TaskGraph',
      ]),
    )
  })
})
