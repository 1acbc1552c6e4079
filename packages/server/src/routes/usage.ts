import { OpenAPIHono } from '@hono/zod-openapi'
import type { ServerDeps } from '../deps.js'
import { parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { UsageQuery, UsageSummarySchema, usageJson } from '../schemas/usage.js'

/** `GET /usage?since=ISO`: tokens, cost and runs in total, by model and by project. */
export function usageRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()
  describeRoute(app, {
    method: 'get',
    path: '/usage',
    summary: 'Spending in total, by model and by project (project runs plus session messages)',
    tags: ['usage'],
    query: UsageQuery,
    ok: { status: 200, description: 'the summary', schema: UsageSummarySchema },
  })
  app.get('/usage', async (c) => {
    const { since } = parseQuery(c, UsageQuery)
    const summary = await deps.store.usageSummary(since ? { since } : {})
    return c.json(usageJson(summary, since), 200)
  })
  return app
}
