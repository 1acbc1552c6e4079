import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/**
 * The pattern of the route that answered (`/api/v1/sessions/:id`): the last matched route that is
 * not a middleware (`ALL`), for telemetry's span names and metric labels. It lives here, beside
 * the app that owns the router, and reads it through hono's public route helper.
 */
export function routePattern(c: Context): string | undefined {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]
    if (route && route.method !== 'ALL') return route.path
  }
  return undefined
}
