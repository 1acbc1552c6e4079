import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit as streamedBodyLimit } from 'hono/body-limit'

/**
 * A request body limit applied only to requests that have a body. A request with neither
 * Content-Length nor Transfer-Encoding has none (HTTP/1.1 framing), and GET, HEAD and OPTIONS are
 * never read: they pass on headers alone. A declared Content-Length is checked before anything is
 * read; only a chunked body is counted as it streams (hono's bodyLimit). Asking for the body of
 * every request — as a blanket `bodyLimit` does — makes the Node adapter build a full `Request`
 * (headers, an AbortSignal, a stream) for each GET only to find it empty.
 */
export function bodyLimit(
  maxSize: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const streamed = streamedBodyLimit({ maxSize, onError })
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next()
    if (c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    const length = c.req.header('content-length')
    if (length === undefined) return next()
    const size = Number(length)
    if (!Number.isSafeInteger(size) || size < 0) return onError(c)
    return size > maxSize ? onError(c) : next()
  }
}
