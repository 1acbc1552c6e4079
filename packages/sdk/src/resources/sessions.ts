import { EventStream, type EventsOptions } from '../event-stream.js'
import type { RunResult, ServerEvent, SessionEvent } from '../events.js'
import { seg, type Transport } from '../http.js'
import type { CompactResult, ItemList, Message, RunAccepted, Session, SessionMcp } from '../records.js'
import type {
  CreateSessionBody,
  ForkSessionBody,
  ListSessionsQuery,
  RequestOptions,
  SendMessageOptions,
} from '../requests.js'
import { runSession } from '../run.js'
import type { Runs } from './runs.js'

export interface SessionRunOptions {
  /** Every event of this run (the engine event plus `session_id` and `run_id`), in order. */
  onEvent?: (event: SessionEvent, raw: ServerEvent) => void
  /** Called with the run id as soon as the server accepted the message. */
  onAccepted?: (runId: string) => void
  /**
   * Aborting cancels the run on the server (`POST /runs/{id}/cancel`); the promise then resolves
   * with the run's `aborted` result, like the engine's own `run()`.
   */
  signal?: AbortSignal
  /** Reconnection settings of the underlying event stream. */
  retry?: EventsOptions['retry']
  /** Switch the session to this agent, from this run on (see `sendMessage`). */
  agent?: string
  /**
   * Follow this run of the session, already started (say by a `steer` that found no run in
   * progress), instead of sending `content`. Events it sent before the stream connected are not
   * replayed; its result is read from `GET /runs/{id}` when it is already over.
   */
  follow?: string
}

/** `/api/v1/sessions…` */
export class Sessions {
  constructor(
    private readonly http: Transport,
    private readonly runs: Runs,
  ) {}

  /** `POST /sessions` → 201 Session. The workspace must lie under the server's `--root`. */
  create(body: CreateSessionBody, options: RequestOptions = {}): Promise<Session> {
    return this.http.json('POST', '/api/v1/sessions', { body, signal: options.signal })
  }

  /** `GET /sessions`: top-level sessions, newest first (sub-agents' sessions: `children`). */
  list(query: ListSessionsQuery = {}, options: RequestOptions = {}): Promise<ItemList<Session>> {
    return this.http.json('GET', '/api/v1/sessions', { query: { ...query }, signal: options.signal })
  }

  get(id: string, options: RequestOptions = {}): Promise<Session> {
    return this.http.json('GET', `/api/v1/sessions/${seg(id)}`, { signal: options.signal })
  }

  /** `GET /sessions/{id}/children`: the sessions its `task` calls started (sub-agents), oldest first. */
  children(id: string, options: RequestOptions = {}): Promise<ItemList<Session>> {
    return this.http.json('GET', `/api/v1/sessions/${seg(id)}/children`, { signal: options.signal })
  }

  /**
   * The session's MCP servers and their tools: live during a run, else as its last run left them;
   * `refresh` starts them now to look.
   */
  mcp(id: string, query: { refresh?: boolean } = {}, options: RequestOptions = {}): Promise<SessionMcp> {
    return this.http.json('GET', `/api/v1/sessions/${seg(id)}/mcp`, {
      query: query.refresh ? { refresh: 'true' } : {},
      signal: options.signal,
    })
  }

  /** 204; 409 while a run is active. */
  delete(id: string, options: RequestOptions = {}): Promise<void> {
    return this.http.empty('DELETE', `/api/v1/sessions/${seg(id)}`, { signal: options.signal })
  }

  /** A new session branching from this one (at a checkpoint, or at its current state). */
  fork(id: string, body: ForkSessionBody = {}, options: RequestOptions = {}): Promise<Session> {
    return this.http.json('POST', `/api/v1/sessions/${seg(id)}/fork`, { body, signal: options.signal })
  }

  /**
   * Starts a run: 202 `{run_id, delivery: 'prompt'}`; 409 when a run is already active on the
   * session, unless `delivery` gives the message to that run (see `steer`, `followUp`). `agent`
   * switches the session to that agent from this run on.
   */
  sendMessage(id: string, content: string, options: SendMessageOptions = {}): Promise<RunAccepted> {
    return this.http.json('POST', `/api/v1/sessions/${seg(id)}/messages`, {
      body: {
        content,
        ...(options.agent ? { agent: options.agent } : {}),
        ...(options.delivery ? { delivery: options.delivery } : {}),
      },
      signal: options.signal,
    })
  }

  /**
   * Steers the session's run in progress: the model reads `content` before its next request, after
   * the tool results of the turn in progress (`message.delivered` on the event stream says when).
   * With no run active, it starts one. → RunAccepted (`delivery` says which happened).
   */
  steer(id: string, content: string, options: RequestOptions = {}): Promise<RunAccepted> {
    return this.sendMessage(id, content, { ...options, delivery: 'steer' })
  }

  /**
   * Queues `content` for when the session's run in progress would stop: the run goes on with it.
   * With no run active, it starts one. → RunAccepted.
   */
  followUp(id: string, content: string, options: RequestOptions = {}): Promise<RunAccepted> {
    return this.sendMessage(id, content, { ...options, delivery: 'follow_up' })
  }

  /**
   * Summarises the session's older turns now (chat `/compact`); the next run starts from the
   * summary. 409 while a run is active; 503 when the model call failed (nothing changed).
   */
  compact(id: string, options: RequestOptions = {}): Promise<CompactResult> {
    return this.http.json('POST', `/api/v1/sessions/${seg(id)}/compact`, { signal: options.signal })
  }

  /** The conversation so far. */
  messages(id: string, options: RequestOptions = {}): Promise<ItemList<Message>> {
    return this.http.json('GET', `/api/v1/sessions/${seg(id)}/messages`, { signal: options.signal })
  }

  /** This session's events (SSE); see `client.events()`. */
  events(id: string, options: Omit<EventsOptions, 'sessionId'> = {}): EventStream {
    return new EventStream(this.http, `/api/v1/sessions/${seg(id)}/events`, options)
  }

  /**
   * Sends a message and follows its run to the end: subscribes to the session's events first,
   * posts the message, forwards that run's events to `onEvent`, and returns the payload of its
   * `run.finished`.
   */
  run(id: string, content: string, options: SessionRunOptions = {}): Promise<RunResult> {
    return runSession(this, this.runs, id, content, options)
  }
}
