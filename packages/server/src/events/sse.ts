import type { EventHub, StreamedEvent } from '../deps.js'
import { eventJson } from './hub.js'

/**
 * A stream with this many bytes queued for a reader that does not keep up is closed; the client
 * resumes with Last-Event-ID (or reloads the history when told to resync). Counted in bytes, not
 * events: one event can carry megabytes of command output.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

export interface SseOptions {
  filter: (event: StreamedEvent) => boolean
  /** From `Last-Event-ID`: replay retained events after it first. */
  afterId?: number
  /** The session the stream covers, if one: whether events were missed is judged on its own. */
  sessionId?: string
  pingIntervalMs: number
  /** Aborts when the client goes away (the request's signal). */
  signal?: AbortSignal
}

/** One event in SSE framing: `id:`, `event:`, one `data:` line of JSON, a blank line. */
export function formatSse(event: StreamedEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${eventJson(event)}\n\n`
}

const encoder = new TextEncoder()
const RETRY = encoder.encode('retry: 2000\n\n')
const PING = encoder.encode(': ping\n\n')

/**
 * The SSE frame of the event being fanned out, as bytes: the hub hands one event to every
 * subscriber in one pass, so it is encoded once and the same bytes are enqueued on every stream.
 * Only the latest is kept (the replay buffer holds events, not their frames).
 */
let latest: { event: StreamedEvent; frame: Uint8Array } | undefined

function sseFrame(event: StreamedEvent): Uint8Array {
  if (latest?.event !== event) latest = { event, frame: encoder.encode(formatSse(event)) }
  return latest.frame
}

/** `Last-Event-ID` (or `?last_event_id=`): a non-negative integer, else none. */
export function parseLastEventId(raw: string | undefined | null): number | undefined {
  if (raw === undefined || raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : undefined
}

/**
 * A `text/event-stream` response fed by the hub: replayed events first, then live ones, with a
 * `: ping` comment every interval so proxies keep the connection open. Unsubscribes when the
 * client disconnects (the stream is cancelled or the request aborted).
 */
export function sseResponse(hub: EventHub, options: SseOptions): Response {
  let cleanup: (() => void) | undefined
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false
        const close = () => {
          if (closed) return
          closed = true
          cleanup?.()
          try {
            controller.close()
          } catch {
            // already closed by the reader
          }
        }
        const send = (bytes: Uint8Array) => {
          if (closed) return
          if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) return close()
          controller.enqueue(bytes)
        }
        send(RETRY)
        const unsubscribe = hub.subscribe(
          options.filter,
          (event) => send(sseFrame(event)),
          options.afterId,
          options.sessionId,
        )
        const ping = setInterval(() => send(PING), options.pingIntervalMs)
        ping.unref?.()
        const onAbort = () => close()
        options.signal?.addEventListener('abort', onAbort, { once: true })
        cleanup = () => {
          unsubscribe()
          clearInterval(ping)
          options.signal?.removeEventListener('abort', onAbort)
        }
        if (options.signal?.aborted) close()
      },
      cancel() {
        cleanup?.()
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  )
  return new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx: do not buffer the stream.
      'X-Accel-Buffering': 'no',
    },
  })
}
