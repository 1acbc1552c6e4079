import { OpenAPIHono } from '@hono/zod-openapi'
import { NotFoundError, ValidationError } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import { invalidRequest, parseBody, parseParam, parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { isVisibleScope, visibleSession } from '../runtime/visibility.js'
import { IntId, IntIdParam, listOf } from '../schemas/common.js'
import {
  CreateMemoryBody,
  DEFAULT_MEMORY_LIMIT,
  ListMemoryQuery,
  MemorySchema,
  memoryJson,
} from '../schemas/memory.js'

const TAGS = ['memory']

/** Memories: list a scope (newest first) or search it (`q`, best first), save, delete. */
export function memoryRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'get',
    path: '/memory',
    summary: 'List the memories of one or more scopes, or search them with q',
    tags: TAGS,
    query: ListMemoryQuery,
    ok: { status: 200, description: 'memories', schema: listOf(MemorySchema) },
  })
  app.get('/memory', async (c) => {
    const query = parseQuery(c, ListMemoryQuery)
    // Every `scope` value, not only the first one the schema saw.
    // Scopes outside the root read as empty, like scopes nobody wrote to.
    const asked = [...new Set((c.req.queries('scope') ?? []).map((scope) => scope.trim()).filter(Boolean))]
    const visible = await Promise.all(asked.map((scope) => isVisibleScope(deps, scope)))
    const scopes = asked.filter((_, index) => visible[index])
    const limit = query.limit ?? DEFAULT_MEMORY_LIMIT
    const items = query.q
      ? await search(deps, query.q, scopes, limit)
      : await deps.store.listMemories(scopes, limit)
    return c.json({ items: items.map(memoryJson) }, 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/memory',
    summary: 'Save a memory',
    tags: TAGS,
    body: CreateMemoryBody,
    ok: { status: 201, description: 'the saved memory', schema: MemorySchema },
    errors: [404],
  })
  app.post('/memory', async (c) => {
    const body = await parseBody(c, CreateMemoryBody)
    if (!(await isVisibleScope(deps, body.scope))) throw new NotFoundError('scope', body.scope)
    const memory = await deps.store.saveMemory({
      scope: body.scope,
      content: body.content,
      ...(body.tags ? { tags: body.tags } : {}),
      ...(body.session_id ? { sessionId: (await visibleSession(deps, body.session_id)).id } : {}),
    })
    return c.json(memoryJson(memory), 201)
  })

  describeRoute(app, {
    method: 'delete',
    path: '/memory/{id}',
    summary: 'Delete a memory',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 204, description: 'deleted' },
    errors: [404],
  })
  app.delete('/memory/:id', async (c) => {
    await deps.store.deleteMemory(parseParam(c, 'id', IntId))
    return c.body(null, 204)
  })

  return app
}

/** A query with no words to search for is the `q` parameter's fault. */
async function search(deps: ServerDeps, q: string, scopes: string[], limit: number) {
  try {
    return await deps.store.searchMemories(q, { scopes, limit })
  } catch (error) {
    if (error instanceof ValidationError && error.field === 'query')
      throw invalidRequest(`invalid query: q: ${error.message}`, [{ path: 'q', message: error.message }])
    throw error
  }
}
