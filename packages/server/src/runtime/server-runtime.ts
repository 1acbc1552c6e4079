import type { Logger, Telemetry } from '@penguin-ai/telemetry'
import type { ServerDeps } from '../deps.js'
import { type LogCallback, loggerCallback } from '../log.js'
import type { QueueDispatch } from '../queue/dispatch.js'
import { RunManager } from './run-manager.js'

export type Lifecycle = 'starting' | 'ready' | 'stopping'

/** What the core routes share beyond ServerDeps: the running sessions and the server's state. */
export interface ServerRuntime {
  runs: RunManager
  /** `/readyz` answers 503 unless `ready`. */
  lifecycle: Lifecycle
  /** Interval of the SSE `: ping` comment. */
  pingIntervalMs: number
}

export interface RuntimeOptions {
  pingIntervalMs?: number
  /** Start as `ready` (createApp used on its own, e.g. in tests); `serve` starts as `starting`. */
  lifecycle?: Lifecycle
  log?: LogCallback
  /**
   * Traces and metrics: with it, each request gets a span and `http.server.request.duration`, each
   * run (and its model and tool calls) spans under the request that started it, and `/metrics`
   * adds the OpenTelemetry metrics. Without it, none of that is mounted.
   */
  telemetry?: Telemetry
  /** Structured log: a line per finished run (with trace ids), and the failures unless `log` is given. */
  logger?: Logger
  /** How long a cancelled run may take to end for its clients (RunManagerOptions; default 1.5 s). */
  cancelTimeoutMs?: number
  /** Queue prompts for workers instead of running them here (a server with a database URL). */
  dispatch?: QueueDispatch
}

export function createRuntime(deps: ServerDeps, options: RuntimeOptions = {}): ServerRuntime {
  const log = options.log ?? (options.logger ? loggerCallback(options.logger) : undefined)
  return {
    runs: new RunManager(deps, {
      ...(log ? { log } : {}),
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.cancelTimeoutMs !== undefined ? { cancelTimeoutMs: options.cancelTimeoutMs } : {}),
      ...(options.dispatch ? { dispatch: options.dispatch } : {}),
    }),
    lifecycle: options.lifecycle ?? 'ready',
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
  }
}
