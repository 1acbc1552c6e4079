/** Live events: SSE (one session or all) and the WebSocket endpoint. */
import { z } from 'zod'
import { route } from '../route.js'
import { SessionIdParam } from '../schemas/common.js'

const SseSchema = z.string().meta({
  description:
    'Server-Sent Events: `id:` a server-wide increasing integer, `event:` the engine (or project) event type, `data:` the event as JSON plus session_id and run_id. `: ping` every 15 s.',
})

const EventsQuery = z.object({
  last_event_id: z.string().optional().meta({ description: 'alternative to the Last-Event-ID header' }),
})

export const sessionEvents = route({
  method: 'get',
  path: '/sessions/{id}/events',
  summary: "A session's live events (SSE); Last-Event-ID replays what was missed",
  notes: 'Header `Last-Event-ID` (or `?last_event_id=`); see Server-Sent Events below',
  tags: ['events'],
  params: SessionIdParam,
  query: EventsQuery,
  response: { status: 200, description: 'event stream', schema: SseSchema, contentType: 'text/event-stream' },
  errors: [404],
})

export const allEvents = route({
  method: 'get',
  path: '/events',
  summary: "Every session's (and project run's) live events (SSE)",
  notes: 'Header `Last-Event-ID` (or `?last_event_id=`)',
  tags: ['events'],
  query: EventsQuery,
  response: { status: 200, description: 'event stream', schema: SseSchema, contentType: 'text/event-stream' },
})

export const webSocket = route({
  method: 'get',
  path: '/ws',
  summary:
    'WebSocket (Upgrade: websocket; token in Authorization or ?token=): the same events as SSE, plus prompt, cancel and permission messages',
  notes: 'See WebSocket below; a plain GET without `Upgrade` gets 426 `upgrade_required`',
  tags: ['events'],
  query: z.object({ token: z.string().optional() }),
  response: { status: 101, description: 'switching protocols' },
  errors: [426],
})
