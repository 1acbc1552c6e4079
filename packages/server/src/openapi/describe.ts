/**
 * Documents a route in its sub-app's OpenAPI registry. Handlers stay plain Hono handlers that parse
 * with the same zod schemas (src/http/validate.ts), so the document and the validation cannot
 * drift: both come from one schema.
 */
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi'
import type { z } from 'zod'
import { ErrorSchema } from '../schemas/common.js'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface RouteDoc {
  method: Method
  /** OpenAPI style, relative to the sub-app: `/sessions/{id}`. */
  path: string
  summary: string
  tags: string[]
  params?: z.ZodObject
  query?: z.ZodObject
  body?: z.ZodType
  /** The success response; `schema` absent means no body (204), `contentType` defaults to JSON. */
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string }
  /** Error statuses this route can answer besides 400/401/429/500 (which every route can). */
  errors?: number[]
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_request: the body, query or path failed validation (details.issues)',
  401: 'unauthorized: missing, unknown or revoked bearer token',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limited (Retry-After)',
  500: 'internal',
  503: 'unavailable: the server is starting or stopping',
}

const COMMON_ERRORS = [400, 401, 429, 500]

export function describeRoute(app: OpenAPIHono, doc: RouteDoc): void {
  const responses: RouteConfig['responses'] = {}
  const okContent = doc.ok.schema
    ? { content: { [doc.ok.contentType ?? 'application/json']: { schema: doc.ok.schema } } }
    : {}
  responses[doc.ok.status] = { description: doc.ok.description, ...okContent }
  const statuses = [...new Set([...COMMON_ERRORS, ...(doc.errors ?? []), ...(doc.body ? [413] : [])])].sort()
  for (const status of statuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'error',
      content: { 'application/json': { schema: ErrorSchema } },
    }
  }
  const request: NonNullable<RouteConfig['request']> = {}
  if (doc.params) request.params = doc.params
  if (doc.query) request.query = doc.query
  if (doc.body) request.body = { required: true, content: { 'application/json': { schema: doc.body } } }
  app.openAPIRegistry.registerPath({
    method: doc.method,
    path: doc.path,
    summary: doc.summary,
    tags: doc.tags,
    operationId: operationId(doc.method, doc.path),
    request,
    responses,
  })
}

/** `post /sessions/{id}/messages` → `postSessionsIdMessages`. */
export function operationId(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
  return `${method.toLowerCase()}${words.join('')}`
}
