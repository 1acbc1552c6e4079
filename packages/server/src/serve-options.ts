/**
 * What `serve()` is given and what it makes of it before anything starts: `ServeOptions`, the
 * checks that refuse a configuration (`ServeConfigError`, exit 2 in the CLI), and the settings
 * derived from it (host, auth, tokens, root, redaction, logging). serve.ts does the start-up.
 */
import { realpath } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { AsyncStore } from '@penguin-ai/store'
import { MIN_PROVISIONED_TOKEN } from '@penguin-ai/store'
import {
  createLogger,
  createRedactor,
  type Logger,
  type Redactor,
  type Telemetry,
} from '@penguin-ai/telemetry'
import type { ServerConfig } from './deps.js'
import type { RetentionLimits } from './events/pg-hub.js'
import type { ReplayLimits } from './events/replay-buffer.js'
import { type LogCallback, type LogFields, logFields, loggerCallback, logLevelFrom } from './log.js'
import type { GitHubWebhookOptions } from './routes/github-webhook.js'
import type { ServerRuntime } from './runtime/server-runtime.js'

export interface ServeOptions {
  host?: string
  port?: number
  /** Sessions' workspaces must lie under it. Default: the current directory. */
  root?: string
  /** Default true. Off is allowed on loopback hosts only. */
  auth?: boolean
  /** The SQLite database file. Checkpoints live beside it. One of `dbPath` and `databaseUrl`. */
  dbPath?: string
  /**
   * A PostgreSQL database (`postgres://…`) shared with other servers and workers, instead of the
   * file. Checkpoints then live in `dataDir`.
   */
  databaseUrl?: string
  /**
   * With `databaseUrl`: workers run in this process as well (`penguin serve --workers N`), taking
   * queued runs of workspaces under `root`. Default 0: prompts are queued for `penguin worker`s.
   */
  workers?: number
  /** The in-process workers' heartbeat timeout in seconds (default 30; see WorkerOptions). */
  heartbeatSeconds?: number
  /**
   * With `databaseUrl`: how long `POST /projects/{id}/plan` waits for a worker's plan before it
   * cancels it and answers 503 (seconds; default 600).
   */
  planTimeoutSeconds?: number
  /** Where checkpoints' shadow repositories live; default beside the SQLite file, none on Postgres. */
  dataDir?: string
  model?: string
  baseUrl?: string
  /** How sessions' commands run, above their config (see `ServerConfig.sandbox`). */
  sandbox?: ServerConfig['sandbox']
  corsOrigins?: string[]
  /**
   * Names the server is reached by besides loopback ones (a reverse proxy's host name); requests
   * whose Host header names anything else are refused, which defeats DNS rebinding.
   */
  publicHosts?: string[]
  bodyLimit?: number
  /** Requests a minute per API token (default 600); 0 turns the limit off, for trusted networks. */
  rateLimitPerMinute?: number
  /** Bounds of the events kept for resuming streams (per session and in total); see ReplayBuffer. */
  replay?: Partial<ReplayLimits>
  /** On PostgreSQL: how long the database keeps events for resuming streams (100,000, 24 h). */
  retention?: Partial<RetentionLimits>
  /**
   * Collect garbage when the heap grows well past what was last live (see memory-guard.ts).
   * Default true; an embedder that tunes the heap itself (`--max-old-space-size`) may turn it off.
   */
  memoryGuard?: boolean
  env?: NodeJS.ProcessEnv
  /** Shut down on SIGTERM / SIGINT. Default true. */
  handleSignals?: boolean
  /** How long shutdown waits for aborted runs to store what they said. Default 7 s (all under 10 s). */
  shutdownTimeoutMs?: number
  /**
   * How long `POST /runs/{id}/cancel` lets a run take to end before reporting it aborted anyway
   * (its engine left to finish unobserved, the session busy until it has). Default 1.5 s.
   */
  cancelTimeoutMs?: number
  /**
   * A bearer token for `GET /metrics` only (at least 16 characters), for a Prometheus scraper that
   * should not hold an API token. API tokens are accepted there too.
   */
  metricsToken?: string
  /**
   * An API token the operator provisions (`PENGUIN_SERVE_TOKEN` for `penguin serve`, from a
   * Kubernetes Secret or a compose file): stored hashed as the token named `PENGUIN_SERVE_TOKEN`,
   * replacing the previous value if it changed. At least 16 characters.
   */
  token?: string
  /**
   * Traces and metrics. Default: a telemetry created here (Prometheus text at `/metrics`; OTLP
   * when `OTEL_EXPORTER_OTLP_*ENDPOINT` is set in `env`), shut down by `close()`. A given one is
   * used and left running; `false` turns request and run telemetry off.
   */
  telemetry?: Telemetry | false
  /**
   * The structured log (pino). Default: JSON lines on stderr, human ones on a terminal, at
   * `PENGUIN_LOG_LEVEL` (info), secrets redacted. Not created when only `log` is given.
   */
  logger?: Logger
  /** Replaces the logger for the operator's messages (tests silence the server with `() => {}`). */
  log?: LogCallback
  /**
   * Serves the web UI: answers the requests it knows (static assets, client-side routes) and
   * returns undefined for the rest, which go to the API. Passed in (by `penguin serve`) rather than
   * imported, so the server does not depend on the UI package.
   */
  web?: (request: Request) => Promise<Response | undefined>
  /** GitHub webhooks (`POST /api/v1/github/webhook`): secret, client and what starts a run. */
  github?: GitHubWebhookOptions
}

export interface RunningServer {
  url: string
  port: number
  host: string
  runtime: ServerRuntime
  /** The server's store (SQLite's async face, or Postgres). */
  store: AsyncStore
  /** What records requests and runs (undefined with `telemetry: false`). */
  telemetry: Telemetry | undefined
  /** Graceful shutdown; resolves when everything is closed. Idempotent. */
  close(): Promise<void>
  /** Resolves once the server has shut down (by close() or a signal). */
  readonly closed: Promise<void>
}

/** A bind refused before anything starts (non-loopback without auth): the CLI exits 2. */
export class ServeConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServeConfigError'
  }
}

/** The name `penguin token list` shows for the token `ServeOptions.token` provisions. */
export const PROVISIONED_TOKEN_NAME = 'PENGUIN_SERVE_TOKEN'

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1'
}

/** The options, checked, with what serve() derives from them before it opens anything. */
export interface ServeSettings {
  host: string
  port: number
  auth: boolean
  env: NodeJS.ProcessEnv
  /** The real path of `root`. */
  root: string
  metricsToken: string | undefined
  /** `ServeOptions.token`, to store as PROVISIONED_TOKEN_NAME. */
  provisioned: string | undefined
  redactor: Redactor
  /** The structured log, unless only `log` was given. */
  logger: Logger | undefined
  log: LogCallback
  /** Startup and shutdown messages: info lines in the logger, else the `log` callback. */
  note(level: 'info' | 'warn', message: string, fields?: LogFields): void
}

/** Checks `options` (ServeConfigError when they cannot be served) and derives the settings. */
export async function serveSettings(options: ServeOptions): Promise<ServeSettings> {
  const host = options.host ?? '127.0.0.1'
  const auth = options.auth ?? true
  if (!auth && !isLoopback(host)) {
    throw new ServeConfigError(
      `refusing to serve on ${host} without auth: anyone who can reach it could run commands in your workspaces. ` +
        'Bind a loopback address (--host 127.0.0.1) or drop --no-auth and create a token with penguin token create --name N.',
    )
  }
  const env = options.env ?? process.env
  const metricsToken = options.metricsToken || undefined
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ServeConfigError('the metrics token must be at least 16 characters (try: openssl rand -hex 24)')
  }
  const provisioned = options.token || undefined
  if (provisioned !== undefined && (provisioned.length < MIN_PROVISIONED_TOKEN || /\s/.test(provisioned))) {
    throw new ServeConfigError(
      `the provisioned API token (PENGUIN_SERVE_TOKEN) must be at least ${MIN_PROVISIONED_TOKEN} characters with no spaces (try: openssl rand -hex 24)`,
    )
  }
  // One redaction rule for logs, spans and /metrics: secrets of the server's env and of this
  // process (they differ only when an embedder passes `env`), the metrics and provisioned tokens.
  const redactor = createRedactor({
    env: { ...process.env, ...env },
    secrets: [metricsToken, provisioned].filter((secret) => secret !== undefined),
  })
  const logger = options.logger ?? (options.log ? undefined : openLogger(env, redactor))
  const log: LogCallback = options.log ?? (logger ? loggerCallback(logger) : () => {})
  const note = (level: 'info' | 'warn', message: string, fields?: LogFields) =>
    logger ? logger[level](logFields(fields), message) : log(message)
  const root = await realpath(resolve(options.root ?? process.cwd())).catch(() => {
    throw new ServeConfigError(`--root ${options.root} does not exist`)
  })
  if ((options.dbPath === undefined) === (options.databaseUrl === undefined))
    throw new ServeConfigError('give the server one database: a SQLite file (dbPath) or a PostgreSQL URL')
  return {
    host,
    port: options.port ?? 8787,
    auth,
    env,
    root,
    metricsToken,
    provisioned,
    redactor,
    logger,
    log,
    note,
  }
}

/** JSON lines on stderr (human ones on a terminal) at `PENGUIN_LOG_LEVEL`, default info. */
function openLogger(env: NodeJS.ProcessEnv, redactor: Redactor): Logger {
  const level = logLevelFrom(env.PENGUIN_LOG_LEVEL)
  if (!level) {
    throw new ServeConfigError(
      `PENGUIN_LOG_LEVEL=${env.PENGUIN_LOG_LEVEL} is not a log level: use trace, debug, info, warn, error, fatal or silent`,
    )
  }
  return createLogger({ level, redactor })
}
