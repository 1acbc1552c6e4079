import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { z } from 'zod'
import { HttpError, type ServerDeps, type StreamedEvent } from '../deps.js'
import { parseLastEventId, sseResponse } from '../events/sse.js'
import { describeRoute } from '../openapi/describe.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'
import { SessionIdParam } from '../schemas/common.js'

const TAGS = ['events']
const SseSchema = z.string().meta({
  description:
    'Server-Sent Events: `id:` a server-wide increasing integer, `event:` the engine (or project) event type, `data:` the event as JSON plus session_id and run_id. `: ping` every 15 s.',
})
const EventsQuery = z.object({
  last_event_id: z.string().optional().meta({ description: 'alternative to the Last-Event-ID header' }),
})

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

  describeRoute(app, {
    method: 'get',
    path: '/sessions/{id}/events',
    summary: "A session's live events (SSE); Last-Event-ID replays what was missed",
    tags: TAGS,
    params: SessionIdParam,
    query: EventsQuery,
    ok: { status: 200, description: 'event stream', schema: SseSchema, contentType: 'text/event-stream' },
    errors: [404],
  })
  app.get('/sessions/:id/events', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    return stream(c, (event) => event.data.session_id === session.id, session.id)
  })

  describeRoute(app, {
    method: 'get',
    path: '/events',
    summary: "Every session's (and project run's) live events (SSE)",
    tags: TAGS,
    query: EventsQuery,
    ok: { status: 200, description: 'event stream', schema: SseSchema, contentType: 'text/event-stream' },
  })
  app.get('/events', (c) => stream(c, () => true))

  describeRoute(app, {
    method: 'get',
    path: '/ws',
    summary:
      'WebSocket (Upgrade: websocket; token in Authorization or ?token=): the same events as SSE, plus prompt, cancel and permission messages',
    tags: TAGS,
    query: z.object({ token: z.string().optional() }),
    ok: { status: 101, description: 'switching protocols' },
    errors: [426],
  })
  // Upgrades are taken by the node server before Hono sees them (see src/ws.ts); a plain GET lands here.
  app.get('/ws', () => {
    throw new HttpError(426, 'upgrade_required', 'this endpoint speaks WebSocket: send Upgrade: websocket')
  })

  return app
}
