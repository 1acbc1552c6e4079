import type { RouteDeclaration } from '../route.js'
import * as catalogue from './catalogue.js'
import * as checkpoints from './checkpoints.js'
import * as events from './events.js'
import * as github from './github.js'
import * as memory from './memory.js'
import * as permissions from './permissions.js'
import * as projects from './projects.js'
import * as runs from './runs.js'
import * as server from './server.js'
import * as sessions from './sessions.js'
import * as tasks from './tasks.js'

export * from './catalogue.js'
export * from './checkpoints.js'
export * from './events.js'
export * from './github.js'
export * from './memory.js'
export * from './permissions.js'
export * from './projects.js'
export * from './runs.js'
export * from './server.js'
export * from './sessions.js'
export * from './tasks.js'

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete']

/** A module's declarations (a namespace lists exports by name), root ones first, by path, then GET, POST, PATCH, DELETE. */
function declarations(module: Record<string, unknown>): RouteDeclaration[] {
  return Object.values(module)
    .filter(
      (value): value is RouteDeclaration =>
        typeof value === 'object' && value !== null && 'method' in value && 'response' in value,
    )
    .sort(
      (a, b) =>
        Number(!a.root) - Number(!b.root) ||
        a.path.localeCompare(b.path, 'en') ||
        METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
    )
}

/**
 * Every route of the API: each module's declarations, the modules in this order — docs/api.md's table is generated from this list, the SDK's route test checks its
 * calls against it, and a route declared here and not served fails the server's tests.
 */
export const ROUTES: readonly RouteDeclaration[] = [
  server,
  sessions,
  events,
  runs,
  permissions,
  checkpoints,
  projects,
  tasks,
  memory,
  catalogue,
  github,
].flatMap((module) => declarations(module))
