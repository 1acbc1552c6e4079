/**
 * Cross-site defences, for HTTP requests and WebSocket upgrades alike. A web page the user visits
 * can make the browser send requests to 127.0.0.1:8787 — with `--no-auth` that was enough to
 * create a project whose verify command is any shell and start it — and DNS rebinding (a name
 * that resolves to 127.0.0.1) even lets it read the answers. So:
 *
 * - `Host` must name this server: a loopback name (`localhost`, `*.localhost`, `127.x.x.x`, `::1`),
 *   the IP address it is bound to, or a configured public host (`--public-host`). A rebinding
 *   page's requests carry its own name, which is none of these.
 * - `Origin`, when present (browsers always send it cross-site, on every WebSocket and on every
 *   POST), must be the server's own origin or one given by `--cors-origin`. `Origin: null`
 *   (sandboxed frames, files) is refused.
 * - A request that carries a body must say `Content-Type: application/json`: the content types a
 *   page may send without a CORS preflight (forms, text/plain) are refused.
 *
 * `/healthz` and `/readyz` answer whatever the Host (probes use the pod's address).
 */
import { isIP } from 'node:net'
import type { MiddlewareHandler } from 'hono'
import { HttpError } from '../deps.js'
import { sendError } from '../http/errors.js'
import { PUBLIC_PATHS } from './auth.js'

export interface SiteOptions {
  /** Origins allowed besides the server's own (`--cors-origin`). */
  corsOrigins: readonly string[]
  /** Host names (optionally with a port, which is ignored) the server is reached by (`--public-host`). */
  publicHosts: readonly string[]
  /** The address the server listens on; an IP literal other than 0.0.0.0 / :: is accepted as Host. */
  bindHost?: string
}

/** What a request shows of itself to the checks (headers by lower-case name). */
export interface SiteRequest {
  method: string
  path: string
  header(name: string): string | undefined
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Why the request is refused (403 forbidden / 415 unsupported_media_type), or undefined. */
export function checkSite(request: SiteRequest, options: SiteOptions): HttpError | undefined {
  const host = request.header('host')
  if (host !== undefined && !allowedHost(host, options)) {
    return new HttpError(
      403,
      'forbidden',
      `the Host header ${JSON.stringify(host)} does not name this server: use a loopback address, or start the server with --public-host ${hostname(host) || 'NAME'}`,
    )
  }
  const origin = request.header('origin')
  if (origin !== undefined && !allowedOrigin(origin, host, options)) {
    return new HttpError(
      403,
      'forbidden',
      `requests from the origin ${JSON.stringify(origin)} are not allowed: only the server's own origin and --cors-origin origins are`,
    )
  }
  if (BODY_METHODS.has(request.method.toUpperCase()) && !jsonOrNoBody(request)) {
    return new HttpError(
      415,
      'unsupported_media_type',
      'send the request body as JSON with Content-Type: application/json',
    )
  }
  return undefined
}

/** The checks as Hono middleware (public probe paths are exempt from the Host check). */
export function siteGuard(options: SiteOptions): MiddlewareHandler {
  return async (c, next) => {
    const probe = PUBLIC_PATHS.has(c.req.path)
    const refusal = checkSite(
      {
        method: c.req.method,
        path: c.req.path,
        header: (name) => (probe && name === 'host' ? undefined : c.req.header(name)),
      },
      options,
    )
    if (refusal) return sendError(c, refusal)
    return next()
  }
}

function allowedHost(host: string, options: SiteOptions): boolean {
  const name = hostname(host)
  if (name === '') return false
  if (isLoopbackName(name)) return true
  const bound = options.bindHost ? hostname(options.bindHost) : ''
  if (bound && isIP(bound) && bound !== '0.0.0.0' && bound !== '::' && name === bound) return true
  return options.publicHosts.some((allowed) => hostname(allowed) === name)
}

function allowedOrigin(origin: string, host: string | undefined, options: SiteOptions): boolean {
  if (options.corsOrigins.includes(origin)) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // `null` and anything else that is not an origin
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  // Same origin: the page was served by this server under the name the request uses (the Host
  // check above has vouched for that name). Behind a TLS proxy the scheme differs; the name does not.
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase()
}

/** No body, or a JSON one (`application/json`, `application/*+json`, with parameters). */
function jsonOrNoBody(request: SiteRequest): boolean {
  const type = request.header('content-type')
  if (type !== undefined) {
    const media = type.split(';')[0]!.trim().toLowerCase()
    return media === 'application/json' || /^application\/[\w.+-]+\+json$/.test(media)
  }
  const length = request.header('content-length')
  const chunked = request.header('transfer-encoding') !== undefined
  return !chunked && (length === undefined || Number(length) === 0)
}

/** The host name of a Host header (or `--public-host` value), lower-case, without port or brackets. */
function hostname(value: string): string {
  const trimmed = value.trim().toLowerCase()
  if (trimmed.startsWith('['))
    return trimmed.slice(1, trimmed.indexOf(']') === -1 ? undefined : trimmed.indexOf(']'))
  // A bare IPv6 address has several colons; a name or IPv4 address has at most the port's.
  if (trimmed.split(':').length > 2) return trimmed
  return trimmed.replace(/:\d*$/, '').replace(/\.$/, '')
}

function isLoopbackName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    name === '::ffff:127.0.0.1' ||
    /^127(?:\.\d{1,3}){3}$/.test(name)
  )
}
