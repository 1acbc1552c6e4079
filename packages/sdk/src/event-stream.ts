/**
 * `client.events()`: Server-Sent Events as an async iterator. A dropped connection (network error,
 * server restart, proxy timeout) is reopened with exponential backoff and `Last-Event-ID`, so the
 * server replays what was missed; the iterator ends when its signal aborts or `close()` is called.
 */

import { backoffDelay } from './backoff.js'
import { PenguinApiError } from './errors.js'
import type { ServerEvent } from './events.js'
import type { Transport } from './http.js'
import { type SseMessage, SseParser } from './sse.js'

export interface RetryOptions {
  /** The first reconnection delay (the server's `retry:` field overrides it). Default 500 ms. */
  initialDelayMs?: number
  /** The longest delay between attempts. Default 15 s. */
  maxDelayMs?: number
  /** Consecutive failed attempts before the iterator throws. Default: unlimited. */
  maxAttempts?: number
}

export interface EventsOptions {
  /** Only this session's events (`/sessions/{id}/events`); all sessions' otherwise (`/events`). */
  sessionId?: string
  /** Resume after this event id: the server replays the retained events after it first. */
  lastEventId?: number | string
  /** Ends the iterator (without an error). */
  signal?: AbortSignal
  retry?: RetryOptions
}

type Reader = ReadableStreamDefaultReader<Uint8Array>

export class EventStream implements AsyncIterableIterator<ServerEvent> {
  private readonly parser: SseParser
  private readonly controller = new AbortController()
  private readonly retry: Required<RetryOptions>
  private generator: AsyncGenerator<ServerEvent> | undefined
  private pending: Promise<Reader> | undefined
  private failures = 0
  private closed = false
  private openedResolve!: () => void
  private openedReject!: (error: unknown) => void
  private readonly opened = new Promise<void>((resolve, reject) => {
    this.openedResolve = resolve
    this.openedReject = reject
  })

  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    options: EventsOptions = {},
  ) {
    this.parser = new SseParser(options.lastEventId === undefined ? undefined : String(options.lastEventId))
    this.retry = {
      initialDelayMs: options.retry?.initialDelayMs ?? 500,
      maxDelayMs: options.retry?.maxDelayMs ?? 15_000,
      maxAttempts: options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY,
    }
    this.opened.catch(() => undefined)
    const signal = options.signal
    if (signal?.aborted) this.close()
    else signal?.addEventListener('abort', () => this.close(), { once: true })
  }

  /** The id of the last event received: pass it as `lastEventId` to resume later. */
  get lastEventId(): number | undefined {
    const id = this.parser.lastEventId
    return id === undefined || id === '' ? undefined : Number(id)
  }

  /**
   * Opens the connection now (without consuming events) and resolves once the server accepted it,
   * so that what happens next is sure to be streamed. Rejects with the error of a refused request.
   */
  connected(): Promise<void> {
    if (!this.generator && !this.pending && !this.closed) this.startConnecting()
    return this.opened
  }

  /** Stops streaming; a pending `next()` ends with `done`. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.controller.abort()
    this.openedReject(
      new PenguinApiError({ status: 0, code: 'closed', message: 'The event stream was closed' }),
    )
  }

  next(): Promise<IteratorResult<ServerEvent>> {
    this.generator ??= this.iterate()
    return this.generator.next()
  }

  async return(): Promise<IteratorResult<ServerEvent>> {
    this.close()
    if (this.generator) await this.generator.return(undefined)
    return { done: true, value: undefined }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  private startConnecting(): Promise<Reader> {
    const pending = this.connect()
    pending.catch(() => undefined)
    this.pending = pending
    return pending
  }

  private async *iterate(): AsyncGenerator<ServerEvent> {
    try {
      while (!this.closed) {
        let reader: Reader
        try {
          reader = await (this.pending ?? this.startConnecting())
        } catch (error) {
          if (this.closed) return
          throw error
        } finally {
          this.pending = undefined
        }
        yield* this.read(reader)
        if (this.closed) return
        // The stream ended or dropped: reopen it after a pause, resuming from the last id.
        await this.sleep(this.delay(0))
      }
    } finally {
      this.close()
    }
  }

  private async *read(reader: Reader): AsyncGenerator<ServerEvent> {
    const decoder = new TextDecoder()
    this.parser.reset()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        for (const message of this.parser.push(decoder.decode(value, { stream: true }))) {
          const event = toServerEvent(message)
          if (event) yield event
        }
      }
    } catch {
      // A dropped connection (or close()): the caller decides whether to reconnect.
    } finally {
      reader.cancel().catch(() => undefined)
    }
  }

  private async connect(): Promise<Reader> {
    for (;;) {
      if (this.closed) throw new PenguinApiError({ status: 0, code: 'closed', message: 'closed' })
      try {
        const reader = await this.open()
        this.failures = 0
        this.openedResolve()
        return reader
      } catch (error) {
        if (this.closed) throw error
        this.failures++
        if (!retryable(error) || this.failures >= this.retry.maxAttempts) {
          this.openedReject(error)
          throw error
        }
        const advised = error instanceof PenguinApiError ? error.retryAfter : undefined
        await this.sleep(advised !== undefined ? advised * 1000 : this.delay(this.failures))
      }
    }
  }

  private async open(): Promise<Reader> {
    // No Cache-Control request header: browsers would need the server's CORS allowance for it.
    const headers: Record<string, string> = { accept: 'text/event-stream' }
    const last = this.parser.lastEventId
    if (last) headers['last-event-id'] = last
    const response = await this.transport.send('GET', this.path, { headers, signal: this.controller.signal })
    if (!response.body) {
      throw new PenguinApiError({
        status: response.status,
        code: 'invalid_response',
        message: 'No event stream',
      })
    }
    return response.body.getReader()
  }

  /** The server's `retry:` hint, if it sent one, replaces the initial delay. */
  private delay(attempt: number): number {
    return backoffDelay(attempt, this.parser.retry ?? this.retry.initialDelayMs, this.retry.maxDelayMs)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve()
      const timer = setTimeout(done, ms)
      const signal = this.controller.signal
      function done() {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      signal.addEventListener('abort', done, { once: true })
    })
  }
}

/** Network errors, 5xx and 429 are worth another attempt; other refusals (401, 404) are final. */
function retryable(error: unknown): boolean {
  if (!(error instanceof PenguinApiError)) return false
  return error.status === 0 || error.status === 429 || error.status >= 500
}

function toServerEvent(message: SseMessage): ServerEvent | undefined {
  let data: unknown
  try {
    data = JSON.parse(message.data)
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined
  // Project events come without `type`: give every payload one, so `data.type === event` always.
  const record = data as Record<string, unknown>
  if (typeof record.type !== 'string') record.type = message.event
  const id = message.id === undefined ? Number.NaN : Number(message.id)
  return { id, event: message.event, data } as ServerEvent
}
