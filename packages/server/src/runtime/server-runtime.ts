import type { ServerDeps } from '../deps.js'
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
  log?: (message: string, error?: unknown) => void
}

export function createRuntime(deps: ServerDeps, options: RuntimeOptions = {}): ServerRuntime {
  return {
    runs: new RunManager(deps, options.log ? { log: options.log } : {}),
    lifecycle: options.lifecycle ?? 'ready',
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
  }
}
