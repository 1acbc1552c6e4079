export {
  API_PREFIX,
  type AppEnv,
  createApp,
  createServerApp,
  DEFAULT_BODY_LIMIT,
  type ServerApp,
  type ServerAppOptions,
  WS_PATH,
} from './app.js'
export { type EventHub, HttpError, type ServerConfig, type ServerDeps, type StreamedEvent } from './deps.js'
export { DEFAULT_RETAINED_EVENTS, eventJson, MemoryEventHub } from './events/hub.js'
export {
  DEFAULT_RETENTION,
  PostgresEventHub,
  type PostgresHubOptions,
  type RetentionLimits,
} from './events/pg-hub.js'
export { DEFAULT_REPLAY_LIMITS, ReplayBuffer, type ReplayLimits } from './events/replay-buffer.js'
export { formatSse, parseLastEventId } from './events/sse.js'
export { camelKey, snakeKey, toCamel, toSnake } from './http/case.js'
export { errorBody, errorHandler, STATUS_CODES, sendError, toHttpError } from './http/errors.js'
export { invalidRequest, parseBody, parseParam, parseQuery, parseWith, zodIssues } from './http/validate.js'
export { type LiveSystem, type LiveSystemOptions, liveTables, openLiveSystem } from './live.js'
export type { LogCallback, LogFields } from './log.js'
export { DEFAULT_RATE_LIMIT_PER_MINUTE } from './middleware/rate-limit.js'
export { checkSite, type SiteOptions, siteGuard } from './middleware/site-guard.js'
export { buildDocument } from './openapi/document.js'
export {
  newQueuedRunId,
  QUEUE_SCHEMA,
  type QueuedJob,
  QueuedJobSchema,
  RUN_QUEUE,
  type SessionRunJob,
  underRoots,
} from './queue/job.js'
export { openRunQueue } from './queue/open.js'
export type { QueueConnection } from './queue/pg.js'
export {
  DEFAULT_GRACE_SECONDS,
  DEFAULT_HEARTBEAT_SECONDS,
  type RunningWorker,
  startWorker,
  type WorkerOptions,
} from './queue/worker.js'
export {
  GITHUB_WEBHOOK_PATH,
  type GitHubRunRequest,
  type GitHubWebhookOptions,
  githubWebhookRoutes,
} from './routes/github-webhook.js'
export {
  type ControlMessage,
  type Coordination,
  PostgresCoordination,
  type PostgresCoordinationOptions,
} from './runtime/coordination.js'
export { type PendingPermission, PermissionBroker } from './runtime/permissions.js'
export { RunManager } from './runtime/run-manager.js'
export type { RunRecord } from './runtime/run-record.js'
export { createRuntime, type Lifecycle, type ServerRuntime } from './runtime/server-runtime.js'
export { serve } from './serve.js'
export {
  isLoopback,
  PROVISIONED_TOKEN_NAME,
  type RunningServer,
  ServeConfigError,
  type ServeOptions,
} from './serve-options.js'
export { SERVER_VERSION } from './version.js'
export { attachWebSocket, type WebSocketEndpoint } from './ws.js'
