/**
 * What a batch of live events announces on EVENTS_CHANNEL (see live.ts `appendEvents`). A small
 * batch travels in the notification itself, so a listener hands it on without reading the table
 * back (one SELECT per batch per listening process saved); a big one (NOTIFY payloads stop at 8000
 * bytes) announces its newest id only, and listeners read it from the table as before.
 *
 * Payload: `NEWEST` alone, or `FIRST:NEWEST:HEADER\nDATA…` — HEADER a JSON array of
 * `[type, sessionId, runId, dataLength]` per event in id order, DATA the events' data texts one
 * after another, exactly as stored (so every reader sends the same bytes). The ids of one batch are
 * consecutive (one INSERT under the append lock), FIRST…NEWEST; a payload that says otherwise is
 * read from the table.
 */
import type { LiveEventRow, NewLiveEvent } from './live.js'

/** A batch whose payload would be longer than this (in bytes) announces its newest id only. */
const MAX_BODY_BYTES = 7_900

/** What a listener is told of a committed batch. */
export interface EventsNotice {
  newestId: number
  /** The batch itself (ids ascending), when it fitted in the notification. */
  events?: LiveEventRow[]
}

/** The part of the payload after `FIRST:NEWEST:`; null when the batch is too big to travel in it. */
export function eventsNoticeBody(events: readonly NewLiveEvent[]): string | null {
  let length = 0
  for (const event of events) length += event.data.length
  // Characters never outnumber UTF-8 bytes: no need to build what cannot fit.
  if (length > MAX_BODY_BYTES) return null
  const header = JSON.stringify(
    events.map((event) => [event.type, event.sessionId, event.runId, event.data.length]),
  )
  const body = `${header}\n${events.map((event) => event.data).join('')}`
  return Buffer.byteLength(body) <= MAX_BODY_BYTES ? body : null
}

/** The notice a payload carries; undefined for one that is not a notice at all. */
export function parseEventsNotice(payload: string): EventsNotice | undefined {
  const colon = payload.indexOf(':')
  if (colon === -1) return idOnly(payload)
  const second = payload.indexOf(':', colon + 1)
  const newline = payload.indexOf('\n', second + 1)
  const first = Number(payload.slice(0, colon))
  const newest = idOnly(payload.slice(colon + 1, second))
  if (second === -1 || newline === -1 || !newest || !Number.isSafeInteger(first)) return newest
  try {
    const header: unknown = JSON.parse(payload.slice(second + 1, newline))
    if (!Array.isArray(header) || header.length !== newest.newestId - first + 1) return newest
    let at = newline + 1
    const events: LiveEventRow[] = []
    for (const [index, entry] of header.entries()) {
      if (!isHeaderEntry(entry)) return newest
      const [type, sessionId, runId, length] = entry
      events.push({ id: first + index, type, sessionId, runId, data: payload.slice(at, at + length) })
      at += length
    }
    return at === payload.length ? { ...newest, events } : newest
  } catch {
    return newest
  }
}

function idOnly(text: string): EventsNotice | undefined {
  const id = Number(text)
  return text !== '' && Number.isSafeInteger(id) ? { newestId: id } : undefined
}

function isHeaderEntry(entry: unknown): entry is [string, string | null, string | null, number] {
  if (!Array.isArray(entry) || entry.length !== 4) return false
  const [type, sessionId, runId, length] = entry as unknown[]
  const idOrNull = (value: unknown) => value === null || typeof value === 'string'
  return (
    typeof type === 'string' &&
    idOrNull(sessionId) &&
    idOrNull(runId) &&
    typeof length === 'number' &&
    Number.isSafeInteger(length) &&
    length >= 0
  )
}
