/**
 * LISTENing for the live tables' notifications on a connection of its own (a pooled connection
 * cannot keep LISTENing), reconnecting with backoff when the connection is lost.
 */
import type pg from 'pg'
import { type EventsNotice, parseEventsNotice } from './event-notice.js'

/** NOTIFY channels: new events (payload: event-notice.ts) and control messages (payload: the node). */
export const EVENTS_CHANNEL = 'penguin_events'
export const CONTROL_CHANNEL = 'penguin_control'
const CONNECT_TIMEOUT_MS = 15_000
/** Listening reconnects after a lost connection, waiting this long at most between tries. */
const MAX_RECONNECT_DELAY_MS = 5_000

export interface LiveListeners {
  /** A batch of events committed: its newest id, and the batch itself when it was small. */
  events?: (notice: EventsNotice) => void
  /** Control messages were queued for `nodeId`. */
  control?: (nodeId: string) => void
  /** The connection is (re)established: whatever was announced while it was down is to be read. */
  connected?: () => void
}

/** LISTENs on the channels of `listeners` through `connect`'s clients until the returned function stops it. */
export async function listenForNotifications(
  connect: () => pg.Client,
  listeners: LiveListeners,
): Promise<() => Promise<void>> {
  let stopped = false
  let client: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined
  let attempt = 0
  const open = async (): Promise<void> => {
    if (stopped) return
    const next = connect()
    client = next
    next.on('error', () => reconnect(next))
    next.on('end', () => reconnect(next))
    next.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) {
        const notice = parseEventsNotice(message.payload ?? '')
        if (notice) listeners.events?.(notice)
      } else if (message.channel === CONTROL_CHANNEL && message.payload) listeners.control?.(message.payload)
    })
    await next.connect()
    // Only the channels listened for: every notification on a channel reaches every connection
    // LISTENing on it (a worker's coordination has no use for the events of every run).
    if (listeners.events) await next.query(`LISTEN ${EVENTS_CHANNEL}`)
    if (listeners.control) await next.query(`LISTEN ${CONTROL_CHANNEL}`)
    attempt = 0
    listeners.connected?.()
  }
  const reconnect = (lost: pg.Client) => {
    if (stopped || client !== lost || retry) return
    client = undefined
    lost.end().catch(() => {})
    const wait = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** attempt++)
    retry = setTimeout(() => {
      retry = undefined
      open().catch(() => {
        if (client) reconnect(client)
      })
    }, wait)
    retry.unref()
  }
  await open()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => {})
  }
}

/** A LISTEN client for `url` (not pooled: a pooled connection cannot keep LISTENing). */
export function listenClient(PgClient: typeof pg.Client, url: string): () => pg.Client {
  return () => {
    const client = new PgClient({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
    return client
  }
}
