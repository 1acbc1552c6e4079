import { OpenAPIHono } from '@hono/zod-openapi'
import { createMemory, DEFAULT_MEMORY_LIMIT, deleteMemory, listMemory } from '@penguin-ai/protocol/api'
import { NotFoundError, ValidationError } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { invalidRequest } from '../http/validate.js'
import { memoryJson } from '../json/memory.js'
import { isVisibleScope, visibleSession } from '../runtime/visibility.js'

/** Memories: list a scope (newest first) or search it (`q`, best first), save, delete. */
export function memoryRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, listMemory, async ({ query }, c) => {
    // Every `scope` value, not only the first one the schema saw.
    // Scopes outside the root read as empty, like scopes nobody wrote to.
    const asked = [...new Set((c.req.queries('scope') ?? []).map((scope) => scope.trim()).filter(Boolean))]
    const visible = await Promise.all(asked.map((scope) => isVisibleScope(deps, scope)))
    const scopes = asked.filter((_, index) => visible[index])
    const limit = query.limit ?? DEFAULT_MEMORY_LIMIT
    const items = query.q
      ? await search(deps, query.q, scopes, limit)
      : await deps.store.listMemories(scopes, limit)
    return { items: items.map(memoryJson) }
  })

  serve(app, createMemory, async ({ body }) => {
    if (!(await isVisibleScope(deps, body.scope))) throw new NotFoundError('scope', body.scope)
    const memory = await deps.store.saveMemory({
      scope: body.scope,
      content: body.content,
      ...(body.tags ? { tags: body.tags } : {}),
      ...(body.sessionId ? { sessionId: (await visibleSession(deps, body.sessionId)).id } : {}),
    })
    return memoryJson(memory)
  })

  serve(app, deleteMemory, async ({ params }) => {
    await deps.store.deleteMemory(params.id)
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
