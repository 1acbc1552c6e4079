/**
 * The one-off work of a server's first requests, done before it listens: hono builds its route
 * matchers on the first match, the store prepares a statement on its first use (drizzle builds the
 * session list's SQL then), and zod compiles an object schema's fast path on its first parse.
 * Left to the first requests, `GET /api/v1/sessions` took 30 ms on an idle machine and 90 ms on a
 * busy one the first time (about 1 ms after). Nothing here writes or answers anyone, and a failure
 * is left for the first real request to meet and report.
 */
import { createSession, getSession, listSessions, type RouteDeclaration } from '@penguin-ai/protocol/api'
import type { AsyncStore } from '@penguin-ai/store'
import type { Hono } from 'hono'

/** The routes a client calls first and most (the UI and the SDK list and open sessions). */
const HOT_ROUTES: readonly RouteDeclaration[] = [listSessions, getSession, createSession]

/** Not a token anyone holds: its lookup prepares the statement every authenticated request runs. */
const NO_TOKEN = 'penguin-warm-up-not-a-token'

export interface WarmUpTargets {
  store: Pick<AsyncStore, 'verifyToken' | 'listSessions'>
  /** The server's --root (the session list's filter). */
  root: string
}

export async function warmUp(app: Pick<Hono, 'request'>, { store, root }: WarmUpTargets): Promise<void> {
  const attempt = async (work: () => unknown) => {
    try {
      await work()
    } catch {
      // Whatever failed here fails the same way on the request that needs it, with its own answer.
    }
  }
  // The liveness probe, answered in process: builds the router's matchers for every route.
  await attempt(() => app.request('/healthz'))
  await attempt(() => store.verifyToken(NO_TOKEN))
  // The statement of `GET /api/v1/sessions` (a filter's shape picks the statement, not its values).
  await attempt(() => store.listSessions({ under: root, limit: 1 }))
  for (const route of HOT_ROUTES)
    for (const schema of [route.params, route.query, route.body]) schema?.safeParse({})
}
