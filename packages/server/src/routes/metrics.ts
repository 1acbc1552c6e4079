import { OpenAPIHono } from '@hono/zod-openapi'
import { metrics } from '@penguin-ai/protocol/api'
import { PROMETHEUS_CONTENT_TYPE, type Telemetry } from '@penguin-ai/telemetry'
import type { ServerDeps } from '../deps.js'
import { MemoryEventHub } from '../events/hub.js'
import { serve } from '../http/route.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'

const started = Date.now()

/**
 * `GET /metrics` in the Prometheus text format (token required like the API, or the metrics token):
 * the server's own gauges, then, with telemetry, every OpenTelemetry metric (runs, tool calls,
 * tokens, HTTP request durations, …).
 */
export function metricsRoutes(deps: ServerDeps, runtime: ServerRuntime, telemetry?: Telemetry): OpenAPIHono {
  const app = new OpenAPIHono()
  serve(app, metrics, async (_, c) => {
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
    const exported = telemetry ? await telemetry.prometheus() : ''
    c.header('Content-Type', PROMETHEUS_CONTENT_TYPE)
    return c.body(mergeFamilies(lines, exported), 200)
  })
  return app
}

/**
 * The hand-written families, minus any the telemetry also exports (a name may appear only once in
 * an exposition), followed by the telemetry's text.
 */
export function mergeFamilies(own: string[], exported: string): string {
  const taken = new Set<string>()
  for (const match of exported.matchAll(/^# TYPE (\S+) /gm)) if (match[1]) taken.add(match[1])
  const kept = own.filter((family) => !taken.has(family.match(/^# TYPE (\S+) /m)?.[1] ?? ''))
  const text = `${kept.join('\n')}\n`
  const rest = exported.trim()
  return rest ? `${text}${rest}\n` : text
}

function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`
}

function counter(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}`
}
