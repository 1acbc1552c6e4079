import { OpenAPIHono } from '@hono/zod-openapi'
import { usageSummary } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { usageJson } from '../json/usage.js'

/**
 * `GET /usage?since=ISO`: tokens, cost and runs in total, by model and by project — of the sessions
 * and projects under `--root` only, like every other route (the CLI's sessions share the database).
 */
export function usageRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()
  serve(app, usageSummary, async ({ query: { since } }) =>
    usageJson(await deps.store.usageSummary({ ...(since ? { since } : {}), under: deps.config.root }), since),
  )
  return app
}
