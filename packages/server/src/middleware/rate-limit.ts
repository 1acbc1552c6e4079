import type { MiddlewareHandler } from 'hono'
import { HttpError } from '../deps.js'
import { sendError } from '../http/errors.js'
import { setResponseHeader } from '../http/response-header.js'
import type { AuthVariables } from './auth.js'

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600

interface Bucket {
  tokens: number
  updated: number
}

/**
 * A token bucket per API token: `perMinute` requests in a burst (at least one), refilled
 * continuously at `perMinute / 60` a second. Over it: 429 `rate_limited` with `Retry-After` (whole seconds).
 * Requests without a token (auth off, public paths) are not limited.
 */
export function rateLimit(
  perMinute = DEFAULT_RATE_LIMIT_PER_MINUTE,
  now: () => number = Date.now,
): MiddlewareHandler<{ Variables: AuthVariables }> {
  const buckets = new Map<number, Bucket>()
  const limit = String(perMinute)
  const burst = Math.max(1, perMinute)
  const ratePerMs = perMinute / 60_000
  return async (c, next) => {
    const token = c.get('token')
    if (!token) return next()
    const time = now()
    const bucket = buckets.get(token.id) ?? { tokens: burst, updated: time }
    bucket.tokens = Math.min(burst, bucket.tokens + (time - bucket.updated) * ratePerMs)
    bucket.updated = time
    buckets.set(token.id, bucket)
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000))
      setResponseHeader(c, 'Retry-After', String(retryAfter))
      return sendError(
        c,
        new HttpError(
          429,
          'rate_limited',
          `rate limit of ${perMinute} requests a minute exceeded; retry in ${retryAfter} s`,
        ),
      )
    }
    bucket.tokens -= 1
    setResponseHeader(c, 'RateLimit-Limit', limit)
    setResponseHeader(c, 'RateLimit-Remaining', String(Math.floor(bucket.tokens)))
    return next()
  }
}
