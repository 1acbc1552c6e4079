/**
 * `serve(options)`: the API on a real port (@hono/node-server) with the WebSocket endpoint, and a
 * graceful shutdown — stop accepting, abort runs so what they said is stored, close streams and
 * the store — on SIGTERM/SIGINT or `close()`. `penguin serve` and `penguin-server` both run this.
 */
import { realpath } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { resolveModel } from '@penguin-ai/llm'
import { openStore, type Store } from '@penguin-ai/store'
import { createServerApp } from './app.js'
import type { ServerConfig, ServerDeps } from './deps.js'
import { MemoryEventHub } from './events/hub.js'
import { projectRunner } from './projects/runner.js'
import type { ServerRuntime } from './runtime/server-runtime.js'
import { attachWebSocket } from './ws.js'

export interface ServeOptions {
  host?: string
  port?: number
  /** Sessions' workspaces must lie under it. Default: the current directory. */
  root?: string
  /** Default true. Off is allowed on loopback hosts only. */
  auth?: boolean
  /** The database file; default resolveDbPath(env). Checkpoints live beside it. */
  dbPath: string
  model?: string
  baseUrl?: string
  corsOrigins?: string[]
  bodyLimit?: number
  rateLimitPerMinute?: number
  env?: NodeJS.ProcessEnv
  /** Shut down on SIGTERM / SIGINT. Default true. */
  handleSignals?: boolean
  /** How long shutdown waits for aborted runs to store what they said. Default 7 s (all under 10 s). */
  shutdownTimeoutMs?: number
  log?: (message: string, error?: unknown) => void
}

export interface RunningServer {
  url: string
  port: number
  host: string
  runtime: ServerRuntime
  store: Store
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
  const log =
    options.log ??
    ((message, error) =>
      process.stderr.write(
        `penguin server: ${message}${error ? `: ${String(error instanceof Error ? error.message : error)}` : ''}\n`,
      ))
  const root = await realpath(resolve(options.root ?? process.cwd())).catch(() => {
    throw new ServeConfigError(`--root ${options.root} does not exist`)
  })
  let store: Store
  try {
    store = openStore({ path: options.dbPath })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`cannot open the database at ${options.dbPath}: ${reason}`)
  }
  const config: ServerConfig = {
    root,
    auth,
    corsOrigins: options.corsOrigins ?? [],
    ...(options.model ? { defaultModel: options.model } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(store.path === ':memory:' ? {} : { dataDir: dirname(store.path) }),
  }
  const deps: ServerDeps = {
    store,
    config,
    env,
    events: new MemoryEventHub(),
    resolveModel: (id) => resolveModel(id, { env, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) }),
  }
  const { app, runtime } = createServerApp(deps, { lifecycle: 'starting', log })
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  const ws = attachWebSocket(server, deps, runtime)
  try {
    await listen(server, host, options.port ?? 8787)
  } catch (error) {
    store.close()
    throw new ServeConfigError(
      `cannot listen on ${host}:${options.port ?? 8787}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  runtime.lifecycle = 'ready'
  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address

  let closing: Promise<void> | undefined
  let markClosed: () => void = () => {}
  const closed = new Promise<void>((resolveClosed) => {
    markClosed = resolveClosed
  })
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log(`${signal} again: exiting now`)
      process.exit(1)
    }
    log(`${signal}: shutting down`)
    void close()
  }
  const close = (): Promise<void> => {
    closing ??= (async () => {
      runtime.lifecycle = 'stopping'
      // Stop accepting; streams and keep-alive sockets are closed below, after runs are stored.
      const stopped = new Promise<void>((done) => server.close(() => done()))
      ws.close()
      const timeout = options.shutdownTimeoutMs ?? 7_000
      const results = await Promise.all([
        runtime.runs.shutdown(timeout),
        projectRunner(deps).shutdown(timeout),
      ])
      if (!results.every(Boolean)) log('some runs did not stop in time; their last turn may be missing')
      server.closeAllConnections()
      await Promise.race([stopped, delay(1_000)])
      store.close()
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
  return { url: `http://${urlHost}:${address.port}`, port: address.port, host, runtime, store, close, closed }
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
