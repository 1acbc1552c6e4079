import { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import { describeRoute } from '../openapi/describe.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

const TAGS = ['health']

/** Liveness and readiness (no token needed): ready only between startup and shutdown. */
export function healthRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tags: TAGS,
    ok: { status: 200, description: 'alive', schema: z.object({ status: z.literal('ok') }) },
  })
  app.get('/healthz', (c) => c.json({ status: 'ok' as const }, 200))

  describeRoute(app, {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: 503 while starting or stopping',
    tags: TAGS,
    ok: { status: 200, description: 'ready', schema: z.object({ status: z.literal('ready') }) },
    errors: [503],
  })
  app.get('/readyz', (c) => {
    if (runtime.lifecycle !== 'ready') return c.json({ status: runtime.lifecycle }, 503)
    return c.json({ status: 'ready' as const }, 200)
  })

  return app
}
