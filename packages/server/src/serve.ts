/**
 * `serve(options)`: the API on a real port (@hono/node-server) with the WebSocket endpoint, and a
 * graceful shutdown — stop accepting, abort runs so what they said is stored, close streams and
 * the store — on SIGTERM/SIGINT or `close()`. `penguin serve` and `penguin-server` both run this.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { resolveModel } from '@penguin-ai/llm'
import type { Telemetry } from '@penguin-ai/telemetry'
import { API_PREFIX, createServerApp } from './app.js'
import type { ServerConfig, ServerDeps } from './deps.js'
import { acceptPacing } from './http/accept-pacing.js'
import { type LiveSystem, openLiveSystem } from './live.js'
import type { LogCallback } from './log.js'
import { METRICS_PATH, PUBLIC_PATHS } from './middleware/auth.js'
import { openServerStore } from './open-store.js'
import { projectRunner } from './projects/runner.js'
import type { QueueDispatch } from './queue/dispatch.js'
import type { RunningWorker } from './queue/worker.js'
import { startMemoryGuard } from './runtime/memory-guard.js'
import {
  PROVISIONED_TOKEN_NAME,
  type RunningServer,
  ServeConfigError,
  type ServeOptions,
  serveSettings,
} from './serve-options.js'
import { openTelemetry } from './serve-telemetry.js'
import { SERVER_VERSION } from './version.js'
import { warmUp } from './warm.js'
import { attachWebSocket } from './ws.js'

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { host, port, auth, env, root, metricsToken, provisioned, redactor, logger, log, note } =
    await serveSettings(options)
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
  // A burst of new connections is accepted one per loop turn: see http/accept-pacing.ts.
  const pacing = acceptPacing(fetch)
  const server = createAdaptorServer({ fetch: pacing.fetch }) as Server
  pacing.attach(server)
  const ws = attachWebSocket(server, deps, runtime)
  await warmUp(app, { store, root })
  try {
    await listen(server, host, port)
  } catch (error) {
    await queue?.close()
    await closeStore()
    await stopTelemetry()
    throw new ServeConfigError(
      `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
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
