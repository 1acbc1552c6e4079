/**
 * A declared route (@penguin-ai/protocol) served: `serve(app, declaration, handler)` documents it in
 * the OpenAPI registry, validates its path parameters, query and body with the declared schemas
 * (400 `invalid_request` as docs/api.md says) and hands the handler the parsed values with
 * camelCase keys. A handler returns the success body (sent as JSON with the declared status) or a
 * Response of its own (other statuses, text, streams).
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { RouteDeclaration } from '@penguin-ai/protocol/api'
import type { Context } from 'hono'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import { describeRoute } from '../openapi/describe.js'
import { type Camel, toCamel } from './case.js'
import { parseBody, parseParam, parseQuery } from './validate.js'

type Parsed<S> = S extends z.ZodType ? Camel<z.output<S>> : undefined

/** What a handler receives: the route's validated input, keys in camelCase. */
export interface RouteInput<R extends RouteDeclaration> {
  params: Parsed<R['params']>
  query: Parsed<R['query']>
  body: Parsed<R['body']>
}

/** The declared success body (sent with the declared status), nothing for a body-less success, or any Response. */
export type RouteReply<R extends RouteDeclaration> = R['response']['schema'] extends z.ZodType
  ? Response | z.output<R['response']['schema']>
  : // biome-ignore lint/suspicious/noConfusingVoidType: a body-less route's handler just returns
    Response | void

export type RouteHandler<R extends RouteDeclaration> = (
  input: RouteInput<R>,
  c: Context,
) => RouteReply<R> | Promise<RouteReply<R>>

/** `/sessions/{id}` → `/sessions/:id`. */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1')
}

export function serve<R extends RouteDeclaration>(
  app: OpenAPIHono,
  route: R,
  handler: RouteHandler<R>,
): void {
  describeRoute(app, route)
  const { status, schema } = route.response
  app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
    const input = {
      params: route.params ? toCamel(parseParams(c, route.params)) : undefined,
      query: route.query ? toCamel(parseQuery(c, route.query)) : undefined,
      body: route.body ? toCamel(await parseBody(c, route.body)) : undefined,
    } as RouteInput<R>
    const reply = await handler(input, c)
    if (reply instanceof Response) return reply
    if (schema === undefined) return c.body(null, status as StatusCode)
    return c.json(reply as object, status as ContentfulStatusCode)
  })
}

/** Each parameter on its own, so a bad one is named: `invalid path parameter id`. */
function parseParams(c: Context, schema: z.ZodObject): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(schema.shape))
    values[name] = parseParam(c, name, field as z.ZodType)
  return values
}
