import { EventStream, type EventsOptions } from './event-stream.js'
import { type ClientOptions, seg, Transport } from './http.js'
import type { RequestOptions } from './requests.js'
import { Agents, Memories, Models, UsageApi } from './resources/memory.js'
import { Projects, Tasks } from './resources/projects.js'
import { Checkpoints, Permissions, Runs } from './resources/runs.js'
import { Sessions } from './resources/sessions.js'

/**
 * A client for Penguin's HTTP API (docs/api.md). Methods are grouped by resource and return the
 * server's records as they are (snake_case); every failure is a `PenguinApiError`.
 *
 * ```ts
 * const client = new PenguinClient({ baseUrl: 'http://127.0.0.1:8787', token })
 * const session = await client.sessions.create({ workspace: '/srv/repos/shop' })
 * const result = await client.sessions.run(session.id, 'fix the failing test', {
 *   onEvent: (event) => event.type === 'text.delta' && process.stdout.write(event.delta),
 * })
 * ```
 */
export class PenguinClient {
  readonly sessions: Sessions
  readonly runs: Runs
  readonly permissions: Permissions
  readonly checkpoints: Checkpoints
  readonly projects: Projects
  readonly tasks: Tasks
  readonly memory: Memories
  readonly models: Models
  readonly agents: Agents
  readonly usage: UsageApi
  private readonly http: Transport

  constructor(options: ClientOptions) {
    this.http = new Transport(options)
    this.runs = new Runs(this.http)
    this.sessions = new Sessions(this.http, this.runs)
    this.permissions = new Permissions(this.http)
    this.checkpoints = new Checkpoints(this.http)
    this.projects = new Projects(this.http)
    this.tasks = new Tasks(this.http)
    this.memory = new Memories(this.http)
    this.models = new Models(this.http)
    this.agents = new Agents(this.http)
    this.usage = new UsageApi(this.http)
  }

  /** The server's address as normalised (no trailing slash, no `/api/v1`). */
  get baseUrl(): string {
    return this.http.baseUrl
  }

  /** `GET /healthz`: `{status: "ok"}` when the process is up. */
  health(options: RequestOptions = {}): Promise<{ status: string }> {
    return this.http.json('GET', '/healthz', { signal: options.signal })
  }

  /** `GET /readyz`: `{status: "ready"}`; a 503 `PenguinApiError` while starting or stopping. */
  ready(options: RequestOptions = {}): Promise<{ status: string }> {
    return this.http.json('GET', '/readyz', { signal: options.signal })
  }

  /** `GET /metrics`: Prometheus text (active runs, pending permissions, subscribers, events). */
  metrics(options: RequestOptions = {}): Promise<string> {
    return this.http.text('GET', '/metrics', { signal: options.signal })
  }

  /** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document. */
  openapi(options: RequestOptions = {}): Promise<Record<string, unknown>> {
    return this.http.json('GET', '/api/v1/openapi.json', { signal: options.signal })
  }

  /**
   * Server-Sent Events as an async iterator: one session's (`sessionId`) or every session's and
   * project runs'. Reconnects with backoff and `Last-Event-ID` after a dropped connection; ends
   * when `signal` aborts.
   *
   * ```ts
   * for await (const { id, event, data } of client.events({ sessionId, signal })) { … }
   * ```
   */
  events(options: EventsOptions = {}): EventStream {
    const path =
      options.sessionId === undefined ? '/api/v1/events' : `/api/v1/sessions/${seg(options.sessionId)}/events`
    return new EventStream(this.http, path, options)
  }
}
