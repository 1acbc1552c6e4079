import { OpenAPIHono } from '@hono/zod-openapi'
import { describeRoute } from '../openapi/describe.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { StringIdParam } from '../schemas/common.js'
import { RunSchema, runJson } from '../schemas/runs.js'

const TAGS = ['runs']

/** Session runs (engine run ids): status and cancel. */
export function runRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'get',
    path: '/runs/{id}',
    summary: 'A session run: status, text, usage',
    tags: TAGS,
    params: StringIdParam,
    ok: { status: 200, description: 'the run', schema: RunSchema },
    errors: [404],
  })
  app.get('/runs/:id', async (c) => c.json(runJson(await runtime.runs.findRun(c.req.param('id'))), 200))

  describeRoute(app, {
    method: 'post',
    path: '/runs/{id}/cancel',
    summary: 'Abort a running run; its run.finished (status aborted) follows on the stream',
    tags: TAGS,
    params: StringIdParam,
    ok: { status: 202, description: 'cancellation under way', schema: RunSchema },
    errors: [404, 409],
  })
  app.post('/runs/:id/cancel', async (c) =>
    c.json(runJson(await runtime.runs.cancelRun(c.req.param('id'))), 202),
  )

  return app
}
