/**
 * The server's seams, shared by every route module. `createApp(deps)` wires them; tests pass their
 * own. Route modules throw `HttpError` (or store errors, which the app maps to statuses) and publish
 * live events through `events`.
 */
import type { ResolvedModel } from '@penguin-ai/llm'
import type { PublishedData, StreamedEventType } from '@penguin-ai/protocol/api'
import type { AsyncStore } from '@penguin-ai/store'
import type { Coordination } from './runtime/coordination.js'

export interface ServerConfig {
  /** Sessions' workspaces must lie under this directory (realpath). */
  root: string
  /** The model a session gets when it names none; undefined means sessions must name one. */
  defaultModel?: string
  /** Overrides every model's base URL (e.g. a local OpenAI-compatible endpoint). */
  baseUrl?: string
  /** Require bearer tokens. */
  auth: boolean
  /** Origins allowed by CORS. */
  corsOrigins: string[]
  /** Host names the server is reached by besides loopback ones (`--public-host`); see site-guard. */
  publicHosts?: string[]
  /** The address the server listens on (its IP, when specific, is an accepted Host). */
  bindHost?: string
  /** Request body limit in bytes (default 1 MiB). */
  bodyLimit?: number
  /** Requests per minute per token (default 600); 0: no limit (trusted networks). */
  rateLimitPerMinute?: number
  /** Directory of the shadow repositories for checkpoints; undefined disables them. */
  dataDir?: string
  /** The SQLite database file, hidden from sandboxed commands; undefined on Postgres or in memory. */
  databaseFile?: string
  /**
   * A bearer token that opens `GET /metrics` and nothing else, so a Prometheus scraper needs no API
   * token (which could run commands). API tokens keep working there too.
   */
  metricsToken?: string
  /**
   * The server's own `--sandbox MODE` / `--network` (or `PENGUIN_SANDBOX`): the top layer of every
   * session's and project run's sandbox settings, like flags on the command line.
   */
  sandbox?: { mode?: 'read-only' | 'workspace-write' | 'off'; network?: boolean }
}

/** One event as it is streamed: a server-wide increasing id, the type, and the JSON payload. */
export interface StreamedEvent {
  id: number
  event: string
  /** Includes `session_id` for session events, `project_id` for project run events. */
  data: Record<string, unknown>
}

/**
 * Fan-out of live events with bounded replay (for `Last-Event-ID`): in memory (MemoryEventHub), or
 * through the database that several servers and workers share (PostgresEventHub), where ids are
 * database-wide and delivery — to this process's subscribers too — follows the commit.
 */
export interface EventHub {
  /**
   * Queues the event; the hub gives it the next id. Subscribers get it in id order. The payload is
   * typed by the protocol's event schemas (@penguin-ai/protocol/api schemas/events.ts).
   */
  publish<K extends StreamedEventType>(event: K, data: PublishedData<K>): void
  /** Resolves once every event published so far is stored (Postgres) — at once in memory. */
  flush(): Promise<void>
  /** Stops the hub (after flush); the process's last step. */
  close(): Promise<void>
  /**
   * Replays retained events with id > afterId that match, then delivers live ones until
   * unsubscribed. When events after afterId were dropped (of `sessionId`, or of any session), one
   * `resync` event comes instead of the replay: the client reloads the history.
   */
  subscribe(
    filter: (event: StreamedEvent) => boolean,
    listener: (event: StreamedEvent) => void,
    afterId?: number,
    sessionId?: string,
  ): () => void
  readonly subscriberCount: number
  /**
   * Every event of one run still kept (of `types`, when given), oldest first: only a hub shared by
   * several processes has it.
   */
  runHistory?(runId: string, types?: readonly string[]): Promise<StreamedEvent[]>
}

export interface ServerDeps {
  /** The store as both backends offer it (SQLite: `store.async`; Postgres: the store itself). */
  store: AsyncStore
  config: ServerConfig
  /**
   * Resolves a `provider/model` id; throws ModelConfigError. `options` carry what config gives the
   * model (a trusted workspace's base URL, a context window); without them, the server's base URL.
   */
  resolveModel(id: string, options?: { baseUrl?: string; contextWindow?: number }): ResolvedModel
  events: EventHub
  /**
   * What several servers and workers on one database agree on (busy sessions, permission asks,
   * cancels); absent when this process is alone (SQLite), where the RunManager's memory suffices.
   */
  coordination?: Coordination
  /** The environment the server reads API keys from (process.env in production). */
  env: NodeJS.ProcessEnv
  /**
   * Redacts what session and project runs store (messages, tool results, task summaries): the
   * server's secrets never reach the database. `serve()` passes its log redactor's; by default
   * the values of credential-named variables of `env` and of the process.
   */
  redact?: (text: string) => string
}

/** An error with an HTTP status and the stable code of docs/api.md. */
export class HttpError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.code = code
    this.details = details
  }
}
