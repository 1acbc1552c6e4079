import { OpenAPIHono } from '@hono/zod-openapi'
import { cancelRun, getRun } from '@penguin-ai/protocol/api'
import { serve } from '../http/route.js'
import { runJson } from '../json/runs.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

/** Session runs (engine run ids): status and cancel. */
export function runRoutes(runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, getRun, async ({ params }) => runJson(await runtime.runs.findRun(params.id)))

  serve(app, cancelRun, async ({ params }) => runJson(await runtime.runs.cancelRun(params.id)))

  return app
}
