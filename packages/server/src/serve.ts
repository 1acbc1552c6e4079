/**
 * `serve(options)`: the API on a real port (@hono/node-server) with the WebSocket endpoint, and a
 * graceful shutdown — stop accepting, abort runs so what they said is stored, close streams and
 * the store — on SIGTERM/SIGINT or `close()`. `penguin serve` and `penguin-server` both run this.
 */
import { realpath } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { resolveModel } from '@penguin-ai/llm'
import { type AsyncStore, MIN_PROVISIONED_TOKEN } from '@penguin-ai/store'
import {
  createLogger,
  createRedactor,
  type Logger,
  type Redactor,
  type Telemetry,
} from '@penguin-ai/telemetry'
import { API_PREFIX, createServerApp } from './app.js'
import type { ServerConfig, ServerDeps } from './deps.js'
import type { RetentionLimits } from './events/pg-hub.js'
import type { ReplayLimits } from './events/replay-buffer.js'
import { type LiveSystem, openLiveSystem } from './live.js'
import { type LogCallback, type LogFields, logFields, loggerCallback, logLevelFrom } from './log.js'
import { METRICS_PATH, PUBLIC_PATHS } from './middleware/auth.js'
import { openServerStore } from './open-store.js'
import { projectRunner } from './projects/runner.js'
import type { QueueDispatch } from './queue/dispatch.js'
import type { RunningWorker } from './queue/worker.js'
import type { GitHubWebhookOptions } from './routes/github-webhook.js'
import { startMemoryGuard } from './runtime/memory-guard.js'
import type { ServerRuntime } from './runtime/server-runtime.js'
import { openTelemetry } from './serve-telemetry.js'
import { SERVER_VERSION } from './version.js'
import { warmUp } from './warm.js'
import { attachWebSocket } from './ws.js'

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

export async function serve(options: ServeOptions): Promise<RunningServer> {
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
  /** Startup and shutdown messages: info lines in the logger, else the `log` callback. */
  const note = (level: 'info' | 'warn', message: string, fields?: LogFields) =>
    logger ? logger[level](logFields(fields), message) : log(message)
  const root = await realpath(resolve(options.root ?? process.cwd())).catch(() => {
    throw new ServeConfigError(`--root ${options.root} does not exist`)
  })
  if ((options.dbPath === undefined) === (options.databaseUrl === undefined))
    throw new ServeConfigError('give the server one database: a SQLite file (dbPath) or a PostgreSQL URL')
  const opened = await openServerStore(
    options.databaseUrl !== undefined
      ? { databaseUrl: options.databaseUrl }
      : { dbPath: options.dbPath ?? '' },
  )
  const { store } = opened
  if (provisioned !== undefined) {
    try {
      await store.provisionToken(PROVISIONED_TOKEN_NAME, provisioned)
    } catch (error) {
      await opened.close()
      throw error
    }
  }
  // The event hub (in the database when several processes share it) and, then, the coordination
  // of permission asks between them.
  let live: LiveSystem
  try {
    live = await openLiveSystem(store, {
      ...(options.replay ? { replay: options.replay } : {}),
      ...(options.retention ? { retention: options.retention } : {}),
      kind: 'server',
      log,
    })
  } catch (error) {
    await opened.close()
    throw error
  }
  const closeStore = async () => {
    await live.close().catch((error: unknown) => log('leaving the shared database failed', error))
    await opened.close()
  }
  const dataDir = options.dataDir ?? opened.dataDir
  const config: ServerConfig = {
    root,
    auth,
    corsOrigins: options.corsOrigins ?? [],
    publicHosts: options.publicHosts ?? [],
    bindHost: host,
    ...(options.model ? { defaultModel: options.model } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.sandbox && Object.keys(options.sandbox).length ? { sandbox: options.sandbox } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(opened.databaseFile ? { databaseFile: opened.databaseFile } : {}),
    ...(metricsToken ? { metricsToken } : {}),
  }
  const deps: ServerDeps = {
    store,
    config,
    env,
    // What runs store is redacted like the logs: the same secrets, the served tokens included.
    redact: redactor.text,
    events: live.events,
    ...(live.coordination ? { coordination: live.coordination } : {}),
    resolveModel: (id, options = {}) =>
      resolveModel(id, { env, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}), ...options }),
  }
  // With a database URL prompts go through the queue (pg-boss), run by workers: `penguin worker`
  // processes, or this server's own (`workers`). Loaded only then.
  let queue: { dispatch: QueueDispatch; close(): Promise<void> } | undefined
  if (options.databaseUrl !== undefined) {
    try {
      queue = await openQueue(deps, options, root, log)
    } catch (error) {
      await closeStore()
      throw error
    }
  }
  const owned = options.telemetry === undefined
  let telemetry: Telemetry | undefined
  try {
    telemetry =
      options.telemetry === false ? undefined : (options.telemetry ?? (await openTelemetry(env, redactor)))
  } catch (error) {
    await queue?.close()
    await closeStore()
    throw error
  }
  // Every SSE stream and WebSocket subscription is a hub subscriber.
  const stopObserving = telemetry?.observeSseSubscribers(() => deps.events.subscriberCount)
  const stopTelemetry = async () => {
    stopObserving?.()
    // Bounded: an unreachable OTLP collector must not hold the shutdown past its 10 s.
    if (owned && telemetry) await Promise.race([telemetry.shutdown(), delay(2_000)])
  }
  const { app, runtime } = createServerApp(deps, {
    lifecycle: 'starting',
    log,
    ...(options.cancelTimeoutMs !== undefined ? { cancelTimeoutMs: options.cancelTimeoutMs } : {}),
    ...(telemetry ? { telemetry } : {}),
    ...(logger ? { logger } : {}),
    ...(options.github ? { github: options.github } : {}),
    ...(queue ? { dispatch: queue.dispatch } : {}),
  })
  const web = options.web
  // The UI is public (it asks for a token itself); everything else goes through the API's auth.
  // The API's own paths skip the UI's handler altogether (no URL parsing, no extra await).
  const fetch: typeof app.fetch = web
    ? (request, ...rest) =>
        isApiUrl(request.url)
          ? app.fetch(request, ...rest)
          : web(request).then((response) => response ?? app.fetch(request, ...rest))
    : app.fetch
  const server = createAdaptorServer({ fetch }) as Server
  const ws = attachWebSocket(server, deps, runtime)
  await warmUp(app, { store, root })
  try {
    await listen(server, host, options.port ?? 8787)
  } catch (error) {
    await queue?.close()
    await closeStore()
    await stopTelemetry()
    throw new ServeConfigError(
      `cannot listen on ${host}:${options.port ?? 8787}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  runtime.lifecycle = 'ready'
  const stopMemoryGuard = options.memoryGuard === false ? () => {} : startMemoryGuard()
  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${urlHost}:${address.port}`
  note('info', 'penguin server listening', {
    url,
    version: SERVER_VERSION,
    auth,
    otlpTraces: telemetry?.otlp.traces ?? false,
    otlpMetrics: telemetry?.otlp.metrics ?? false,
  })

  let closing: Promise<void> | undefined
  let markClosed: () => void = () => {}
  const closed = new Promise<void>((resolveClosed) => {
    markClosed = resolveClosed
  })
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      note('warn', `${signal} again: exiting now`, { signal })
      process.exit(1)
    }
    note('info', `${signal}: shutting down`, { signal })
    void close()
  }
  const close = (): Promise<void> => {
    closing ??= (async () => {
      runtime.lifecycle = 'stopping'
      stopMemoryGuard()
      // Stop accepting; streams and keep-alive sockets are closed below, after runs are stored.
      const stopped = new Promise<void>((done) => server.close(() => done()))
      ws.close()
      const timeout = options.shutdownTimeoutMs ?? 7_000
      const results = await Promise.all([
        runtime.runs.shutdown(timeout),
        projectRunner(deps).shutdown(timeout),
      ])
      if (!results.every(Boolean))
        note('warn', 'some runs did not stop in time; their last turn may be missing')
      server.closeAllConnections()
      await Promise.race([stopped, delay(1_000)])
      await queue?.close()
      await closeStore()
      // After the runs: their spans have ended, so the last OTLP batch carries them.
      await stopTelemetry()
      note('info', 'penguin server stopped')
      if (options.handleSignals !== false) {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
      markClosed()
    })()
    return closing
  }
  if (options.handleSignals !== false) {
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  }
  return { url, port: address.port, host, runtime, store, telemetry, close, closed }
}

/**
 * The server's queue: its dispatch (prompts become queued runs) and, with `workers`, workers in
 * this process sharing its store, hub and permission asks. Closing stops the workers (their runs
 * finish or go back to the queue) and then the connection.
 */
async function openQueue(
  deps: ServerDeps,
  options: ServeOptions,
  root: string,
  log: LogCallback,
): Promise<{ dispatch: QueueDispatch; close(): Promise<void> }> {
  const url = options.databaseUrl as string
  const [{ openRunQueue }, { QueueDispatch }] = await Promise.all([
    import('./queue/open.js'),
    import('./queue/dispatch.js'),
  ])
  const connection = await openRunQueue(url, { onError: (error) => log('queue connection error', error) })
  const dispatch = new QueueDispatch(deps, connection, {
    ...(options.planTimeoutSeconds !== undefined ? { planTimeoutSeconds: options.planTimeoutSeconds } : {}),
  })
  let worker: RunningWorker | undefined
  try {
    if ((options.workers ?? 0) > 0) {
      const { startWorker } = await import('./queue/worker.js')
      worker = await startWorker({
        databaseUrl: url,
        roots: [root],
        concurrency: options.workers,
        ...(options.heartbeatSeconds !== undefined ? { heartbeatSeconds: options.heartbeatSeconds } : {}),
        ...(options.shutdownTimeoutMs !== undefined
          ? { graceSeconds: options.shutdownTimeoutMs / 1_000 }
          : {}),
        store: deps.store,
        queue: connection,
        events: deps.events,
        ...(deps.coordination ? { coordination: deps.coordination } : {}),
        env: deps.env,
        log,
        ...(deps.redact ? { redact: deps.redact } : {}),
        ...(deps.config.baseUrl ? { baseUrl: deps.config.baseUrl } : {}),
        ...(deps.config.sandbox ? { sandbox: deps.config.sandbox } : {}),
        ...(deps.config.dataDir ? { dataDir: deps.config.dataDir } : {}),
      })
    }
  } catch (error) {
    dispatch.close()
    await connection.close()
    throw error
  }
  return {
    dispatch,
    close: async () => {
      await worker?.close()
      dispatch.close()
      await connection.close()
    },
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

/**
 * Whether a request URL (`http://host/path?query`) is the API's: `/api/…`, the probes or
 * `/metrics`. Read from the string itself, as cheaply as the check is frequent; anything it is
 * unsure of goes to the UI's handler, which leaves API paths to the API anyway.
 */
export function isApiUrl(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return false
  let end = url.length
  for (let i = start; i < url.length; i++) {
    const char = url.charCodeAt(i)
    if (char === 63 /* ? */ || char === 35 /* # */) {
      end = i
      break
    }
  }
  const path = url.slice(start, end)
  return (
    path.startsWith(`${API_PREFIX}/`) ||
    path === API_PREFIX ||
    PUBLIC_PATHS.has(path) ||
    path === METRICS_PATH
  )
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolveListen()
    })
  })
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref())
}
