import { timingSafeEqual } from 'node:crypto'
import type { ApiToken } from '@penguin-ai/store'
import type { MiddlewareHandler } from 'hono'
import { HttpError, type ServerDeps } from '../deps.js'
import { sendError } from '../http/errors.js'

/**
 * Paths reachable without a token: load balancers and orchestrators probe the first two; GitHub's
 * webhook deliveries authenticate with their HMAC signature instead.
 */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/api/v1/github/webhook'])

/** The one path `config.metricsToken` opens. */
export const METRICS_PATH = '/metrics'

export interface AuthVariables {
  /** The verified token; undefined when auth is off or the path is public. */
  token: ApiToken | undefined
}

/** `Authorization: Bearer <token>` (case-insensitive scheme); `?token=` only where a browser cannot set headers. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1]
}

/** Constant-time, so a scraper's token cannot be guessed byte by byte from response times. */
function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Bearer-token auth against the store's hashed tokens (the store compares hashes in constant
 * time). Missing, unknown and revoked tokens are all one answer: 401 `unauthorized`.
 * `config.metricsToken` is accepted on `/metrics` alone (scrapes carry no API token, so they are
 * not rate limited either).
 */
export function auth(
  deps: ServerDeps,
  options: { queryTokenPaths?: ReadonlySet<string> } = {},
): MiddlewareHandler<{
  Variables: AuthVariables
}> {
  const queryTokenPaths = options.queryTokenPaths ?? new Set<string>()
  return async (c, next) => {
    c.set('token', undefined)
    if (!deps.config.auth || PUBLIC_PATHS.has(c.req.path) || c.req.method === 'OPTIONS') return next()
    const presented =
      bearerToken(c.req.header('authorization')) ??
      (queryTokenPaths.has(c.req.path) ? c.req.query('token') : undefined)
    const { metricsToken } = deps.config
    if (c.req.path === METRICS_PATH && metricsToken && presented && sameSecret(presented, metricsToken))
      return next()
    const token = presented ? await deps.store.verifyToken(presented) : undefined
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer realm="penguin"')
      const message = presented
        ? 'the bearer token is unknown or revoked'
        : 'missing bearer token: send Authorization: Bearer <token> (create one with penguin token create --name N)'
      return sendError(c, new HttpError(401, 'unauthorized', message))
    }
    c.set('token', token)
    return next()
  }
}
