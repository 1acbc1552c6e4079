import { OpenAPIHono } from '@hono/zod-openapi'
import { allEvents, sessionEvents, webSocket } from '@penguin-ai/protocol/api'
import type { Context } from 'hono'
import { HttpError, type ServerDeps, type StreamedEvent } from '../deps.js'
import { parseLastEventId, sseResponse } from '../events/sse.js'
import { serve } from '../http/route.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'

/** Live events over SSE (one session or all) and the WebSocket endpoint's description. */
export function eventRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()
  const stream = (c: Context, filter: (event: StreamedEvent) => boolean, sessionId?: string) =>
    sseResponse(deps.events, {
      filter,
      ...(sessionId ? { sessionId } : {}),
      afterId: parseLastEventId(c.req.header('last-event-id') ?? c.req.query('last_event_id')),
      pingIntervalMs: runtime.pingIntervalMs,
      signal: c.req.raw.signal,
    })

  serve(app, sessionEvents, async ({ params }, c) => {
    const session = await visibleSession(deps, params.id)
    return stream(c, (event) => event.data.session_id === session.id, session.id)
  })

  serve(app, allEvents, (_, c) => stream(c, () => true))

  // Upgrades are taken by the node server before Hono sees them (see src/ws.ts); a plain GET lands here.
  serve(app, webSocket, () => {
    throw new HttpError(426, 'upgrade_required', 'this endpoint speaks WebSocket: send Upgrade: websocket')
  })

  return app
}
