import { OpenAPIHono } from '@hono/zod-openapi'
import { parseBody, parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { listOf, StringIdParam } from '../schemas/common.js'
import {
  PermissionAnsweredSchema,
  PermissionReplyBody,
  PermissionSchema,
  PermissionsQuery,
  permissionJson,
} from '../schemas/runs.js'

const TAGS = ['permissions']

/** Pending permission asks of running sessions, and their answers. */
export function permissionRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'get',
    path: '/permissions',
    summary: 'Pending permission asks',
    tags: TAGS,
    query: PermissionsQuery,
    ok: { status: 200, description: 'pending asks, oldest first', schema: listOf(PermissionSchema) },
  })
  app.get('/permissions', (c) => {
    const query = parseQuery(c, PermissionsQuery)
    return c.json({ items: runtime.runs.permissions.list(query.session_id).map(permissionJson) }, 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/permissions/{id}',
    summary: 'Answer a permission ask: once, always (for the rest of the session run), or reject',
    tags: TAGS,
    params: StringIdParam,
    body: PermissionReplyBody,
    ok: { status: 200, description: 'the answer', schema: PermissionAnsweredSchema },
    errors: [404],
  })
  app.post('/permissions/:id', async (c) => {
    const body = await parseBody(c, PermissionReplyBody)
    return c.json(runtime.runs.permissions.answer(c.req.param('id'), body.reply), 200)
  })

  return app
}
