import { OpenAPIHono } from '@hono/zod-openapi'
import { type CompactResultJson, compactSession, listMessages, sendMessage } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { messageJson } from '../json/sessions.js'
import { compactSession as compact } from '../runtime/compact.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'

/** A session's conversation: post a prompt (a run in the background), read the history, compact it. */
export function messageRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, sendMessage, async ({ params, body }) => {
    const session = await visibleSession(deps, params.id)
    const options = body.agent ? { agent: body.agent } : {}
    if (body.delivery) {
      const taken = await runtime.runs.deliver(session.id, body.content, body.delivery, options)
      return { run_id: taken.run.id, delivery: taken.delivery }
    }
    const run = await runtime.runs.start(session, body.content, options)
    return { run_id: run.id, delivery: 'prompt' as const }
  })

  serve(app, listMessages, async ({ params }) => {
    const session = await visibleSession(deps, params.id)
    return { items: (await deps.store.listMessages(session.id)).map(messageJson) }
  })

  serve(app, compactSession, async ({ params }, c): Promise<CompactResultJson> => {
    const result = await compact(deps, runtime.runs, params.id, c.req.raw.signal)
    return result
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
  })

  return app
}
