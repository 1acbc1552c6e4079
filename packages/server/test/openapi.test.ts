import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { startTestServer } from './helpers.js'

/** Every `METHOD /path` of docs/api.md's route table, as OpenAPI method + path. */
function documentedRoutes(): { method: string; path: string }[] {
  const markdown = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8')
  const table = markdown.slice(markdown.indexOf('## Routes'), markdown.indexOf('## Server-Sent Events'))
  const routes: { method: string; path: string }[] = []
  for (const row of table.split('\n').filter((line) => line.startsWith('| `'))) {
    const cell = row.split('|')[1] ?? ''
    for (const match of cell.matchAll(/`([A-Z/]+) (\/[^`\s]*)`/g)) {
      const [, methods = '', path = ''] = match
      for (const method of methods.split('/')) routes.push({ method: method.toLowerCase(), path })
    }
    // `GET /api/v1/openapi.json`, `GET /api/v1/docs` style rows list several paths in one cell.
  }
  return routes
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document listing every route of docs/api.md', async () => {
    const t = await startTestServer()
    const response = await t.api('/api/v1/openapi.json')
    expect(response.status).toBe(200)
    const document = (await response.json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
    }
    expect(document.openapi).toBe('3.1.0')

    const validator = new Validator()
    const result = await validator.validate(document)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)

    const routes = documentedRoutes()
    expect(routes.length).toBeGreaterThan(35)
    const missing = routes
      .filter(({ method, path }) => !document.paths[path]?.[method])
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
    expect(missing).toEqual([])
  })

  it('describes request bodies and responses from the zod schemas', async () => {
    const t = await startTestServer()
    const document = (await (await t.api('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
    }
    const create = document.paths['/api/v1/sessions']?.post
    expect(JSON.stringify(create?.requestBody)).toContain('#/components/schemas/CreateSession')
    expect(document.components.schemas.CreateSession?.properties).toHaveProperty('workspace')
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '413', '422']),
    )
    expect(Object.keys(document.components.schemas.Session?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'message_count', 'auto_approve', 'active_run_id']),
    )
    expect(document.components.schemas.Error).toBeDefined()
  })

  it('serves a self-contained docs page listing the operations', async () => {
    const t = await startTestServer()
    const response = await t.api('/api/v1/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/text\/html/)
    const html = await response.text()
    expect(html).toContain('/api/v1/sessions/{id}/messages')
    expect(html).not.toMatch(/<script|https?:\/\/cdn/i)
  })
})
