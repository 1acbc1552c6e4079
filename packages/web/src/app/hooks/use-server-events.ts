import type { EventsOptions, ServerEvent } from '@penguin-ai/sdk'
import { useLayoutEffect, useRef, useState } from 'react'
import { useClient } from '../api/api-context.js'

export interface ServerEventsOptions {
  /** One session's events; every session's and project run's otherwise. */
  sessionId?: string
  /** Replay retained events after this id first (0: everything retained). */
  lastEventId?: number
  /** Nothing is opened until true. */
  enabled?: boolean
  /** Called once the server accepted the subscription (events from now on are sure to arrive). */
  onConnected?: () => void
}

/**
 * Follows `client.events()` for the component's life (it reconnects and resumes by itself) and hands
 * each event to `onEvent`, the latest one passed. Returns the stream's terminal error, if any.
 */
export function useServerEvents(
  options: ServerEventsOptions,
  onEvent: (event: ServerEvent) => void,
): unknown {
  const client = useClient()
  const [error, setError] = useState<unknown>()
  const handler = useRef(onEvent)
  handler.current = onEvent
  const connected = useRef(options.onConnected)
  connected.current = options.onConnected
  const { sessionId, lastEventId, enabled = true } = options

  // A layout effect: the connection starts as the view mounts, not after its first paint.
  useLayoutEffect(() => {
    if (!enabled) return
    const controller = new AbortController()
    const request: EventsOptions = { signal: controller.signal }
    if (sessionId !== undefined) request.sessionId = sessionId
    if (lastEventId !== undefined) request.lastEventId = lastEventId
    const stream = client.events(request)
    setError(undefined)
    stream.connected().then(
      () => connected.current?.(),
      () => undefined,
    )
    void (async () => {
      try {
        for await (const event of stream) handler.current(event)
      } catch (caught) {
        if (!controller.signal.aborted) setError(caught)
      }
    })()
    return () => controller.abort()
  }, [client, sessionId, lastEventId, enabled])

  return error
}
