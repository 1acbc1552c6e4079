import { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import type { ServerDeps } from '../deps.js'
import { MemoryEventHub } from '../events/hub.js'
import { describeRoute } from '../openapi/describe.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

const started = Date.now()

/** `GET /metrics`: a few gauges in the Prometheus text format (token required like the API). */
export function metricsRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()
  describeRoute(app, {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: active runs, pending permissions, event subscribers, events published',
    tags: ['health'],
    ok: { status: 200, description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
  })
  app.get('/metrics', (c) => {
    const lines = [
      gauge('penguin_up', 'The server answers.', 1),
      gauge('penguin_ready', '1 between startup and shutdown.', runtime.lifecycle === 'ready' ? 1 : 0),
      gauge('penguin_session_runs_active', 'Session runs in progress.', runtime.runs.runningCount),
      gauge(
        'penguin_permissions_pending',
        'Permission asks waiting for an answer.',
        runtime.runs.permissions.size,
      ),
      gauge(
        'penguin_event_subscribers',
        'SSE streams and WebSocket subscriptions.',
        deps.events.subscriberCount,
      ),
      gauge(
        'penguin_uptime_seconds',
        'Seconds since the server started.',
        Math.round((Date.now() - started) / 1000),
      ),
    ]
    if (deps.events instanceof MemoryEventHub) {
      lines.push(
        counter('penguin_events_published_total', 'Events published on the hub.', deps.events.lastId),
      )
    }
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    return c.body(`${lines.join('\n')}\n`, 200)
  })
  return app
}

function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`
}

function counter(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}`
}
