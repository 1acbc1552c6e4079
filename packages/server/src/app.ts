import { OpenAPIHono } from '@hono/zod-openapi'
import { API_PREFIX, docsPage as docsPageRoute, openapiDocument } from '@penguin-ai/protocol/api'
import { httpTelemetry } from '@penguin-ai/telemetry'
import type { Hono } from 'hono'
import { cors } from 'hono/cors'
import { HttpError, type ServerDeps } from './deps.js'
import { errorHandler, notFoundHandler, sendError } from './http/errors.js'
import { serve } from './http/route.js'
import { routePattern } from './http/route-pattern.js'
import { type LogCallback, loggerCallback, requestLogFields, SERVER_LOG } from './log.js'
import { type AuthVariables, auth } from './middleware/auth.js'
import { bodyLimit } from './middleware/body-limit.js'
import { DEFAULT_RATE_LIMIT_PER_MINUTE, rateLimit } from './middleware/rate-limit.js'
import { requestId } from './middleware/request-id.js'
import { type SiteOptions, siteGuard } from './middleware/site-guard.js'
import { docsPage } from './openapi/docs-page.js'
import { buildDocument } from './openapi/document.js'
import { projectRunner } from './projects/runner.js'
import { agentRoutes } from './routes/agents.js'
import { checkpointRoutes } from './routes/checkpoints.js'
import { eventRoutes } from './routes/events.js'
import { type GitHubWebhookOptions, githubWebhookRoutes } from './routes/github-webhook.js'
import { healthRoutes } from './routes/health.js'
import { mcpRoutes } from './routes/mcp.js'
import { memoryRoutes } from './routes/memory.js'
import { messageRoutes } from './routes/messages.js'
import { metricsRoutes } from './routes/metrics.js'
import { modelRoutes } from './routes/models.js'
import { permissionRoutes } from './routes/permissions.js'
import { projectRoutes } from './routes/projects.js'
import { runRoutes } from './routes/runs.js'
import { sessionRoutes } from './routes/sessions.js'
import { taskRoutes } from './routes/tasks.js'
import { usageRoutes } from './routes/usage.js'
import { createRuntime, type RuntimeOptions, type ServerRuntime } from './runtime/server-runtime.js'
import { SERVER_VERSION } from './version.js'

export const DEFAULT_BODY_LIMIT = 1024 * 1024
export { API_PREFIX }
/** Browsers cannot set headers on a WebSocket: there the token may come as `?token=`. */
export const WS_PATH = `${API_PREFIX}/ws`

export type AppEnv = { Variables: AuthVariables }

export interface ServerAppOptions extends RuntimeOptions {
  /** Share a runtime (serve() and the WebSocket need the same one). */
  runtime?: ServerRuntime
  /** `POST /api/v1/github/webhook` (answers 503 without a secret, a client and a starter). */
  github?: GitHubWebhookOptions
}

export interface ServerApp {
  app: OpenAPIHono<AppEnv>
  runtime: ServerRuntime
}

/**
 * The whole HTTP API, with no `listen`: probes (/healthz, /readyz, bare) | [telemetry →] request id →
 * site guard → body limit → CORS → auth → rate limit → routes → 404 / error handler. Returns the runtime too (runs, readiness) for serve()
 * and tests.
 */
export function createServerApp(deps: ServerDeps, options: ServerAppOptions = {}): ServerApp {
  const runtime = options.runtime ?? createRuntime(deps, options)
  const { telemetry, logger } = options
  const log: LogCallback = options.log ?? (logger ? loggerCallback(logger) : SERVER_LOG)
  // Project runs share the session runs' log and telemetry (the runner is one per deps: this call
  // creates it, the projects and tasks routes below find it).
  projectRunner(deps, {
    log,
    ...(telemetry ? { telemetry } : {}),
    ...(logger ? { logger } : {}),
  })
  const app = new OpenAPIHono<AppEnv>()

  // Probes first, ahead of the whole chain: they hold no data, need no token, answer whatever the
  // Host (orchestrators use the pod's address), have no body, must never be rate limited, and are
  // polled every few seconds — traced and counted they would mostly drown the requests that matter.
  app.route('/', healthRoutes(runtime))
  // Then telemetry, so the span and the duration cover everything after it (401s, 413s and 429s
  // too), and so its span is the active context of the routes: runs they start become its children.
  if (telemetry) app.use('*', httpTelemetry(telemetry, { route: routePattern }))
  app.use('*', requestId())
  // Before anything reads the body: cross-site requests and rebound host names stop here.
  app.use('*', siteGuard(siteOptions(deps)))
  const maxBody = deps.config.bodyLimit ?? DEFAULT_BODY_LIMIT
  app.use(
    '*',
    bodyLimit(maxBody, (c) =>
      sendError(c, new HttpError(413, 'payload_too_large', `request body over ${maxBody} bytes`)),
    ),
  )
  const allowed = new Set(deps.config.corsOrigins)
  if (allowed.size > 0) {
    app.use(
      '*',
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'X-Request-Id'],
        exposeHeaders: ['Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    )
  }
  app.use('*', auth(deps, { queryTokenPaths: new Set([WS_PATH]) }))
  const perMinute = deps.config.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE
  if (perMinute > 0) app.use('*', rateLimit(perMinute))

  app.route('/', metricsRoutes(deps, runtime, telemetry))
  const api = new OpenAPIHono()
  api.route('/', sessionRoutes(deps, runtime))
  api.route('/', mcpRoutes(deps, runtime))
  api.route('/', messageRoutes(deps, runtime))
  api.route('/', eventRoutes(deps, runtime))
  api.route('/', runRoutes(runtime))
  api.route('/', permissionRoutes(runtime))
  api.route('/', checkpointRoutes(deps, runtime))
  // Projects, tasks, memory, models and usage: the same operations as the CLI.
  api.route('/', projectRoutes(deps, undefined, runtime.runs.dispatch))
  api.route('/', taskRoutes(deps))
  api.route('/', memoryRoutes(deps))
  api.route('/', modelRoutes(deps))
  api.route('/', agentRoutes(deps))
  api.route('/', usageRoutes(deps))
  api.route('/', githubWebhookRoutes(options.github))
  // Built on first request, when every route is mounted.
  let built: ReturnType<typeof buildDocument> | undefined
  mountDocs(api, () => {
    built ??= buildDocument(app, SERVER_VERSION)
    return built
  })
  app.route(API_PREFIX, api)

  app.notFound(notFoundHandler)
  app.onError(errorHandler((error, c) => log('unexpected error', error, requestLogFields(c))))
  return { app, runtime }
}

/** What the cross-site checks accept, from the server's config (shared with the WebSocket upgrade). */
export function siteOptions(deps: ServerDeps): SiteOptions {
  return {
    corsOrigins: deps.config.corsOrigins,
    publicHosts: deps.config.publicHosts ?? [],
    ...(deps.config.bindHost ? { bindHost: deps.config.bindHost } : {}),
  }
}

/** `createApp(deps)`: the app alone (see createServerApp for the runtime). */
export function createApp(deps: ServerDeps, options: ServerAppOptions = {}): Hono<AppEnv> {
  return createServerApp(deps, options).app
}

function mountDocs(api: OpenAPIHono, document: () => ReturnType<typeof buildDocument>): void {
  serve(api, openapiDocument, (_, c) => c.json(document()))
  serve(api, docsPageRoute, (_, c) => c.html(docsPage(document())))
}
