import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Env } from 'hono'

export const API_TITLE = 'Penguin API'
export const API_VERSION = '1.0.0'

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>
type Operation = Record<string, unknown>
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * The OpenAPI 3.1 document of everything mounted on `app`: the routes documented with zod schemas
 * (ours, and any OpenAPIHono sub-app's), plus a minimal entry for any route registered without a
 * description, so the document never omits a route that exists.
 */
export function buildDocument<E extends Env>(app: OpenAPIHono<E>, serverVersion: string): Document {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description: `Penguin's self-hosted API (server ${serverVersion}). JSON in and out, snake_case fields, errors as {error: {code, message, details?}}.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  })
  document.components ??= {}
  document.components.securitySchemes = {
    bearer: { type: 'http', scheme: 'bearer', description: 'an API token: penguin token create --name N' },
  }
  document.paths ??= {}
  const paths = document.paths as Record<string, Record<string, Operation>>
  for (const publicPath of ['/healthz', '/readyz']) {
    const item = paths[publicPath]
    if (item?.get) item.get.security = []
  }
  for (const route of app.routes) {
    const method = route.method.toLowerCase()
    if (!(METHODS as readonly string[]).includes(method) || route.path.includes('*')) continue
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    const item = paths[path] ?? {}
    paths[path] = item
    if (item[method]) continue
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    item[method] = {
      summary: `${route.method} ${path}`,
      ...(params.length ? { parameters: params } : {}),
      responses: { default: { description: 'see docs/api.md' } },
    }
  }
  return document
}
