import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { setResponseHeader } from '../http/response-header.js'

const HEADER = 'X-Request-Id'
/** A client's own id is kept when it is short and plain (it ends up in logs). */
const ACCEPTED = /^[\w\-=]{1,255}$/

/**
 * `X-Request-Id` on every response — the client's, when it sent a usable one, else a new UUID —
 * and `c.get('requestId')` for the logs.
 */
export function requestId(): MiddlewareHandler {
  return async (c, next) => {
    const sent = c.req.header(HEADER)
    const id = sent !== undefined && ACCEPTED.test(sent) ? sent : randomUUID()
    c.set('requestId', id)
    setResponseHeader(c, HEADER, id)
    await next()
  }
}
