import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'

/**
 * Sets a response header from middleware that runs before the handler. On Node it goes straight
 * onto the outgoing response, which Node merges into the head the adapter writes: setting it
 * through hono (`c.header`) would give every response a `Headers` object and cost the Node
 * adapter its fast path on every request. Elsewhere (`app.request()`, other runtimes) it is set
 * through hono as usual. Headers a handler sets itself win over these.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
  if (outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent)
    outgoing.setHeader(name, value)
  else c.header(name, value)
}
