/**
 * When a run's first model request has left: the moment work it does not need (opening the
 * database) can start without delaying it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { Engine, EngineEvent } from '@penguin-ai/engine'

/** Node's fetch (undici) publishes here once a request's body is written to the socket. */
const BODY_SENT = 'undici:request:bodySent'

/** Engine events that come only before the first request is sent. */
const BEFORE_REQUEST = new Set<EngineEvent['type']>(['run.started', 'turn.started'])

/**
 * Resolves once the first HTTP request of the process is sent (Node's fetch diagnostics), or the
 * engine gets past its first request some other way — any event but the two that precede it (a
 * retry, an answer, a tool, the end of the run) — whichever comes first. The engine events are what
 * make it certain to resolve: a request that never leaves (no network, another HTTP client) still
 * ends in one.
 */
export function firstRequestSent(engine: Engine): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      unsubscribe(BODY_SENT, onSent)
      stop()
      resolve()
    }
    const onSent = () => done()
    subscribe(BODY_SENT, onSent)
    const stop = engine.subscribe((event) => {
      if (!BEFORE_REQUEST.has(event.type)) done()
    })
  })
}
