import { OpenAPIHono } from '@hono/zod-openapi'
import { health, ready } from '@penguin-ai/protocol/api'
import { serve } from '../http/route.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

/** Liveness and readiness (no token needed): ready only between startup and shutdown. */
export function healthRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, health, () => ({ status: 'ok' as const }))

  serve(app, ready, (_, c) => {
    if (runtime.lifecycle !== 'ready') return c.json({ status: runtime.lifecycle }, 503)
    return { status: 'ready' as const }
  })

  return app
}
