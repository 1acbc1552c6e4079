import { OpenAPIHono } from '@hono/zod-openapi'
import type { ServerDeps } from '../deps.js'
import { parseBody } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { compactSession } from '../runtime/compact.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'
import { listOf, SessionIdParam } from '../schemas/common.js'
import {
  type CompactResultJson,
  CompactResultSchema,
  MessageSchema,
  messageJson,
  PostMessageBody,
  RunAcceptedSchema,
} from '../schemas/sessions.js'

const TAGS = ['sessions']

/** A session's conversation: post a prompt (a run in the background) and read the history. */
export function messageRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'post',
    path: '/sessions/{id}/messages',
    summary: 'Send a prompt: starts a run in the background; follow it on the events stream',
    tags: TAGS,
    params: SessionIdParam,
    body: PostMessageBody,
    ok: { status: 202, description: 'the run started', schema: RunAcceptedSchema },
    errors: [404, 409, 422, 503],
  })
  app.post('/sessions/:id/messages', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    const body = await parseBody(c, PostMessageBody)
    const run = await runtime.runs.start(session.id, body.content, body.agent ? { agent: body.agent } : {})
    return c.json({ run_id: run.id }, 202)
  })

  describeRoute(app, {
    method: 'get',
    path: '/sessions/{id}/messages',
    summary: 'The conversation as stored, oldest first',
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 200, description: 'messages', schema: listOf(MessageSchema) },
    errors: [404],
  })
  app.get('/sessions/:id/messages', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    return c.json({ items: (await deps.store.listMessages(session.id)).map(messageJson) }, 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/sessions/{id}/compact',
    summary:
      'Summarise older turns now to free context (chat /compact); the next run starts from the summary',
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 200, description: 'what compaction did', schema: CompactResultSchema },
    errors: [404, 409, 422, 503],
  })
  app.post('/sessions/:id/compact', async (c) => {
    const result = await compactSession(deps, runtime.runs, c.req.param('id'), c.req.raw.signal)
    const json: CompactResultJson = result
      ? {
          compacted: true,
          tokens_before: result.tokensBefore,
          tokens_after: result.tokensAfter,
          summarised_messages: result.summarisedMessages,
          kept_messages: result.keptMessages,
          cost_usd: result.cost,
        }
      : {
          compacted: false,
          tokens_before: null,
          tokens_after: null,
          summarised_messages: 0,
          kept_messages: 0,
          cost_usd: 0,
        }
    return c.json(json, 200)
  })

  return app
}
