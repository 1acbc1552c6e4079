/**
 * A route's declaration (@penguin-ai/protocol) as an operation of its sub-app's OpenAPI registry.
 * The same declaration validates the route's input (src/http/route.ts), so the document and the
 * validation cannot drift.
 */
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi'
import { ErrorSchema, type RouteDeclaration } from '@penguin-ai/protocol/api'

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

export function describeRoute(app: OpenAPIHono, doc: RouteDeclaration): void {
  const responses: RouteConfig['responses'] = {}
  const okContent = doc.response.schema
    ? { content: { [doc.response.contentType ?? 'application/json']: { schema: doc.response.schema } } }
    : {}
  responses[doc.response.status] = { description: doc.response.description, ...okContent }
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
    ...(doc.notes ? { description: doc.notes } : {}),
    tags: [...doc.tags],
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
