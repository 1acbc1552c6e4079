/**
 * Where a worker runs a job: one runtime per `--root` (server deps whose root is that directory,
 * and a RunManager over them), made when the first run under that root arrives. A job whose
 * workspace lies under none of the roots has no place here.
 */
import { resolveModel } from '@penguin-ai/llm'
import type { AsyncStore } from '@penguin-ai/store'
import type { EventHub, ServerConfig, ServerDeps } from '../deps.js'
import type { LogCallback } from '../log.js'
import type { Coordination } from '../runtime/coordination.js'
import type { PermissionBroker } from '../runtime/permissions.js'
import { RunManager } from '../runtime/run-manager.js'
import { underRoots } from './job.js'

export interface Place {
  deps: ServerDeps
  manager: RunManager
}

export interface PlaceOptions {
  store: AsyncStore
  env: NodeJS.ProcessEnv
  events: EventHub
  coordination?: Coordination
  permissions: PermissionBroker
  baseUrl?: string
  sandbox?: ServerConfig['sandbox']
  dataDir?: string
  redact?: (text: string) => string
  log: LogCallback
}

/** The place of a workspace: the runtime of the first root it lies under, else undefined. */
export function workerPlaces(
  roots: readonly string[],
  options: PlaceOptions,
): (workspace: string) => Place | undefined {
  const places = new Map<string, Place>()
  const { store, env, events, coordination, baseUrl } = options
  return (workspace) => {
    const root = roots.find((candidate) => underRoots(workspace, [candidate]))
    if (!root) return undefined
    let place = places.get(root)
    if (!place) {
      const config: ServerConfig = {
        root,
        auth: true,
        corsOrigins: [],
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      }
      const deps: ServerDeps = {
        store,
        config,
        env,
        events,
        ...(coordination ? { coordination } : {}),
        ...(options.redact ? { redact: options.redact } : {}),
        resolveModel: (model, extra = {}) =>
          resolveModel(model, { env, ...(baseUrl ? { baseUrl } : {}), ...extra }),
      }
      place = { deps, manager: new RunManager(deps, { permissions: options.permissions, log: options.log }) }
      places.set(root, place)
    }
    return place
  }
}
