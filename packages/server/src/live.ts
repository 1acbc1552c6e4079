/**
 * A process's live system: its event hub (fed with this process's store changes too, see
 * events/changes.ts) and, on a database several processes share, its coordination. `serve()` and `penguin worker` both start one, so a run executing anywhere streams
 * to every server with the same ids and answers what any server is asked about it.
 */
import type { AsyncStore, PostgresLive } from '@penguin-ai/store'
import type { EventHub } from './deps.js'
import { publishChanges } from './events/changes.js'
import { MemoryEventHub } from './events/hub.js'
import { PostgresEventHub, type RetentionLimits } from './events/pg-hub.js'
import type { ReplayLimits } from './events/replay-buffer.js'
import type { LogCallback } from './log.js'
import { type Coordination, PostgresCoordination } from './runtime/coordination.js'

export interface LiveSystem {
  events: EventHub
  /** Undefined for a store only this process uses (SQLite). */
  coordination?: Coordination
  /** Flushes the hub, leaves the database (this process's holds and asks go), stops listening. */
  close(): Promise<void>
}

export interface LiveSystemOptions {
  /** In-memory replay bounds (SQLite). */
  replay?: Partial<ReplayLimits>
  /** How long the database keeps events (Postgres). */
  retention?: Partial<RetentionLimits>
  /** 'server' or 'worker'. */
  kind?: string
  /**
   * Nothing subscribes to this process's hub (a standalone worker): its events are written for the
   * servers, never read back here (Postgres; see PostgresEventHub).
   */
  publishOnly?: boolean
  /** A silent process's sessions are free after this long (default 30 s). */
  staleAfterMs?: number
  log?: LogCallback
}

/** The shared tables of a Postgres store; undefined for SQLite. */
export function liveTables(store: AsyncStore): PostgresLive | undefined {
  return (store as AsyncStore & { live?: PostgresLive }).live
}

export async function openLiveSystem(
  store: AsyncStore,
  options: LiveSystemOptions = {},
): Promise<LiveSystem> {
  const live = liveTables(store)
  if (!live) {
    const events = new MemoryEventHub(options.replay ?? {})
    const stopChanges = publishChanges(store, events)
    return {
      events,
      close: async () => {
        stopChanges()
        await events.close()
      },
    }
  }
  const log = options.log ?? (() => {})
  const events = await PostgresEventHub.open(live, {
    ...(options.retention ? { retention: options.retention } : {}),
    ...(options.publishOnly ? { publishOnly: true } : {}),
    log,
  })
  let coordination: PostgresCoordination
  try {
    coordination = await PostgresCoordination.open(live, {
      ...(options.kind ? { kind: options.kind } : {}),
      ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
      log,
    })
  } catch (error) {
    await events.close()
    throw error
  }
  const stopChanges = publishChanges(store, events)
  return {
    events,
    coordination,
    async close() {
      stopChanges()
      await events.flush()
      await coordination.close()
      await events.close()
    },
  }
}
