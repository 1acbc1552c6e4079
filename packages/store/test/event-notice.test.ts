/**
 * The live events' NOTIFY payload (pg/event-notice.ts): a small batch travels in it exactly as
 * stored; a big one, or a payload that does not add up, says only its newest id (read the table).
 */
import { describe, expect, it } from 'vitest'
import { eventsNoticeBody, parseEventsNotice } from '../src/pg/event-notice.js'
import type { NewLiveEvent } from '../src/pg/live.js'

const event = (data: string, type = 'e'): NewLiveEvent => ({ type, sessionId: 'ses_1', runId: null, data })
const payload = (first: number, events: NewLiveEvent[]) =>
  `${first}:${first + events.length - 1}:${eventsNoticeBody(events)}`

describe('live event notices', () => {
  it('carry a small batch with its ids and its data texts byte for byte', () => {
    const events = [
      event('{"text":"née 🐧 \\u0000","b":1,"1":2}'),
      event('{}', 'run.finished'),
      { type: 'x', sessionId: null, runId: 'run_1', data: '"\\n:"' },
    ]
    expect(parseEventsNotice(payload(41, events))).toEqual({
      newestId: 43,
      events: events.map((one, index) => ({ ...one, id: 41 + index })),
    })
  })

  it('say only the newest id for a batch too big for a notification, or one that does not add up', () => {
    expect(eventsNoticeBody([event(`"${'x'.repeat(8_000)}"`)])).toBeNull()
    // Under the limit in characters, over it in bytes.
    expect(eventsNoticeBody([event(`"${'é'.repeat(4_000)}"`)])).toBeNull()
    expect(parseEventsNotice('17')).toEqual({ newestId: 17 })
    const two = [event('{}'), event('{"a":1}')]
    // Ids that are not the batch's count, a cut payload, a broken header.
    expect(parseEventsNotice(`5:7:${eventsNoticeBody(two)}`)).toEqual({ newestId: 7 })
    expect(parseEventsNotice(payload(5, two).slice(0, -1))).toEqual({ newestId: 6 })
    expect(parseEventsNotice('5:6:[[1,2]]\n{}')).toEqual({ newestId: 6 })
    expect(parseEventsNotice('nonsense')).toBeUndefined()
    expect(parseEventsNotice('')).toBeUndefined()
  })
})
