import { timingSafeEqual } from 'node:crypto'
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { Handler, Context as HonoContext, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { ERROR_TYPE } from './names.js'
import { clip, MAX_MESSAGE } from './text.js'
import type { Telemetry } from './types.js'

/** HTTP semantic-convention attribute names. */
const HTTP = {
  method: 'http.request.method',
  route: 'http.route',
  status: 'http.response.status_code',
  path: 'url.path',
  scheme: 'url.scheme',
  userAgent: 'user_agent.original',
} as const

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
])

/** The pattern of the route that answered (`/api/v1/sessions/:id`), never the raw path. */
function routeOf(c: HonoContext): string | undefined {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]
    if (route && route.method !== 'ALL') return route.path
  }
  return undefined
}

/**
 * Hono middleware: a SERVER span per request (continuing a W3C `traceparent` if the client sent
 * one) made the active context for everything downstream, so runs started by the request become
 * its children; and `http.server.request.duration` by method, route and status. Mount it first.
 */
export function httpTelemetry(telemetry: Telemetry): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : '_OTHER'
    const parent = telemetry.extract(c.req.raw.headers)
    const userAgent = c.req.header('user-agent')
    const span = telemetry.tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [HTTP.method]: method,
          [HTTP.path]: telemetry.redactor.text(c.req.path),
          [HTTP.scheme]: c.req.url.startsWith('https:') ? 'https' : 'http',
          ...(userAgent ? { [HTTP.userAgent]: clip(userAgent, MAX_MESSAGE) } : {}),
        },
      },
      parent,
    )
    let thrown: unknown
    try {
      await context.with(trace.setSpan(parent, span), next)
    } catch (error) {
      thrown = error
      throw error
    } finally {
      // hono turns handler errors into responses itself; one thrown here escaped every handler.
      const status = thrown === undefined ? c.res.status : 500
      const route = routeOf(c)
      if (route) {
        span.updateName(`${method} ${route}`)
        span.setAttribute(HTTP.route, route)
      }
      span.setAttribute(HTTP.status, status)
      if (status >= 500) {
        span.setAttribute(ERROR_TYPE, String(status))
        span.setStatus({ code: SpanStatusCode.ERROR })
      }
      // hono keeps an error its onError handler answered in `c.error`.
      const error = thrown ?? c.error
      if (error !== undefined) {
        const message = error instanceof Error ? error.message : String(error)
        span.addEvent('exception', {
          'exception.type': error instanceof Error ? error.name : typeof error,
          'exception.message': clip(telemetry.redactor.text(message), MAX_MESSAGE),
        })
      }
      span.end()
      telemetry.metrics.httpDuration.record((performance.now() - started) / 1000, {
        [HTTP.method]: method,
        [HTTP.status]: status,
        ...(route ? { [HTTP.route]: route } : {}),
        ...(status >= 500 ? { [ERROR_TYPE]: String(status) } : {}),
      })
    }
  }
}

export interface MetricsHandlerOptions {
  /**
   * A bearer token Prometheus must present (`Authorization: Bearer <token>`, compared in constant
   * time). Without it (and without `authorize`) the handler answers anyone: keep it behind the
   * server's own auth, or on a private interface.
   */
  token?: string
  /** Custom check; return false for 401. Runs instead of `token`. */
  authorize?: (c: HonoContext) => boolean | Promise<boolean>
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Hono handler for `GET /metrics`: every metric as Prometheus text (exposition format 0.0.4). */
export function metricsHandler(telemetry: Telemetry, options: MetricsHandlerOptions = {}): Handler {
  return async (c) => {
    const allowed = options.authorize
      ? await options.authorize(c)
      : options.token === undefined ||
        sameToken(c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1], options.token)
    if (!allowed) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"')
      return c.json({ error: { code: 'unauthorized', message: 'metrics need a bearer token' } }, 401)
    }
    const body = await telemetry.prometheus()
    return c.body(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE })
  }
}
