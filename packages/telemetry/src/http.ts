import { timingSafeEqual } from 'node:crypto'
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
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

/**
 * What the middleware reads of a request: the shape of a hono `Context` (from whichever copy of
 * hono made it), declared here so this package depends on no web framework and touches nothing but
 * the context's public members. Reading a framework's internals broke every request the day two
 * copies of it were installed.
 */
export interface HttpContext {
  req: {
    method: string
    path: string
    url: string
    raw: Request
    header(name: string): string | undefined
  }
  /** The response, once `next()` has returned. */
  res: Response
  /** An error the framework's error handler answered (hono keeps it in `c.error`). */
  error?: unknown
}

export interface HttpTelemetryOptions<C extends HttpContext = HttpContext> {
  /**
   * The pattern of the route that answered (`/api/v1/sessions/:id`), asked after the response.
   * The app knows its own router: with hono, `matchedRoutes(c)` from `hono/route` (see the README).
   * Without it spans are named by method alone and carry no `http.route`; the raw path is never
   * used as a name or a metric label. It may throw: telemetry never fails a request.
   */
  route?: (c: C) => string | undefined
}

/**
 * Middleware (hono's signature): a SERVER span per request (continuing a W3C `traceparent` if the
 * client sent one) made the active context for everything downstream, so runs started by the
 * request become its children; and `http.server.request.duration` by method, route and status.
 * Mount it first.
 */
export function httpTelemetry<C extends HttpContext>(
  telemetry: Telemetry,
  options: HttpTelemetryOptions<C> = {},
): (c: C, next: () => Promise<void>) => Promise<void> {
  const routeOf = (c: C): string | undefined => {
    try {
      return options.route?.(c) || undefined
    } catch {
      return undefined
    }
  }
  const recordDuration = (c: C, method: string, started: number, status: number) => {
    const route = routeOf(c)
    telemetry.metrics.httpDuration.record((performance.now() - started) / 1000, {
      [HTTP.method]: method,
      [HTTP.status]: status,
      ...(route ? { [HTTP.route]: route } : {}),
      ...(status >= 500 ? { [ERROR_TYPE]: String(status) } : {}),
    })
    return route
  }
  // Tracing off (no exporter): the duration metric alone, no span and no context to carry.
  const metricsOnly = async (c: C, next: () => Promise<void>) => {
    const started = performance.now()
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : '_OTHER'
    let thrown = false
    try {
      await next()
    } catch (error) {
      thrown = true
      throw error
    } finally {
      recordDuration(c, method, started, thrown ? 500 : statusOf(c))
    }
  }
  if (!telemetry.tracing) return metricsOnly
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
      const status = thrown === undefined ? statusOf(c) : 500
      const route = recordDuration(c, method, started, status)
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
    }
  }
}

/** A response the middleware cannot read counts as a server error, never as a thrown one. */
function statusOf(c: HttpContext): number {
  try {
    return c.res.status
  } catch {
    return 500
  }
}

/** What `metricsHandler` reads of a request: its headers (a hono `Context` has this). */
export interface MetricsContext {
  req: { header(name: string): string | undefined }
}

export interface MetricsHandlerOptions<C extends MetricsContext = MetricsContext> {
  /**
   * A bearer token Prometheus must present (`Authorization: Bearer <token>`, compared in constant
   * time). Without it (and without `authorize`) the handler answers anyone: keep it behind the
   * server's own auth, or on a private interface.
   */
  token?: string
  /** Custom check; return false for 401. Runs instead of `token`. */
  authorize?: (c: C) => boolean | Promise<boolean>
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * A handler for `GET /metrics` (hono's signature; it answers with a standard `Response`): every
 * metric as Prometheus text (exposition format 0.0.4).
 */
export function metricsHandler<C extends MetricsContext>(
  telemetry: Telemetry,
  options: MetricsHandlerOptions<C> = {},
): (c: C) => Promise<Response> {
  return async (c) => {
    const allowed = options.authorize
      ? await options.authorize(c)
      : options.token === undefined ||
        sameToken(c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1], options.token)
    if (!allowed) {
      return Response.json(
        { error: { code: 'unauthorized', message: 'metrics need a bearer token' } },
        { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } },
      )
    }
    const body = await telemetry.prometheus()
    return new Response(body, { status: 200, headers: { 'Content-Type': PROMETHEUS_CONTENT_TYPE } })
  }
}
