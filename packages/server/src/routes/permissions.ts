import { OpenAPIHono } from '@hono/zod-openapi'
import { listPermissions, replyPermission } from '@penguin-ai/protocol/api'
import { serve } from '../http/route.js'
import { permissionJson } from '../json/runs.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

/** Pending permission asks of running sessions, and their answers. */
export function permissionRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  // With a shared database: the asks of runs on every process, answered wherever they run.
  serve(app, listPermissions, async ({ query }) => ({
    items: (await runtime.runs.pendingPermissions(query.sessionId)).map(permissionJson),
  }))

  serve(app, replyPermission, ({ params, body }) => runtime.runs.answerPermission(params.id, body.reply))

  return app
}
