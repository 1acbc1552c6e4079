/**
 * A client of a server's event stream (`GET /api/v1/events` or a session's) that keeps every event
 * in the order it arrived, as a browser's EventSource would see them: `id:`, `event:`, one JSON
 * `data:` line per frame.
 */

export interface ReceivedEvent {
  id: number
  event: string
  data: Record<string, unknown>
}

export interface EventRecorder {
  /** Every event so far, in arrival order. */
  readonly events: readonly ReceivedEvent[]
  /** Resolves once `predicate` holds for the events so far (checked on every event); bounded. */
  until(
    predicate: (events: readonly ReceivedEvent[]) => boolean,
    what: string,
    boundMs?: number,
  ): Promise<void>
  close(): Promise<void>
}

const DEFAULT_BOUND_MS = 120_000

/**
 * Opens the stream at `url` and resolves once the server has answered (its `retry:` line arrived:
 * the subscription is in place). `lastEventId` replays what the server keeps after that id first.
 */
export async function recordEvents(
  url: string,
  options: { lastEventId?: number; headers?: Record<string, string> } = {},
): Promise<EventRecorder> {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...(options.lastEventId !== undefined ? { 'last-event-id': String(options.lastEventId) } : {}),
      ...options.headers,
    },
    signal: controller.signal,
  })
  if (!response.ok || !response.body) throw new Error(`GET ${url}: ${response.status}`)
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  const events: ReceivedEvent[] = []
  const watchers = new Set<() => void>()
  let ended: Error | undefined
  let buffer = ''
  let opened!: () => void
  const open = new Promise<void>((resolve) => {
    opened = resolve
  })

  const take = (frame: string) => {
    let id: number | undefined
    let event = 'message'
    const data: string[] = []
    for (const line of frame.split('\n')) {
      if (line.startsWith('retry:')) opened()
      else if (line.startsWith('id:')) id = Number(line.slice(3).trim())
      else if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (id === undefined || data.length === 0) return
    events.push({ id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> })
  }

  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) throw new Error(`the stream ${url} ended`)
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          take(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
        for (const watcher of [...watchers]) watcher()
      }
    } catch (error) {
      ended = controller.signal.aborted ? new Error('closed') : (error as Error)
      opened()
      for (const watcher of [...watchers]) watcher()
    }
  })()

  await open
  if (ended) throw ended

  return {
    events,
    until(predicate, what, boundMs = DEFAULT_BOUND_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${what}: not seen within ${boundMs} ms on ${url}`))),
          boundMs,
        )
        const finish = (settle: () => void) => {
          clearTimeout(timer)
          watchers.delete(check)
          settle()
        }
        const check = () => {
          if (predicate(events)) finish(resolve)
          else if (ended) finish(() => reject(new Error(`${what}: ${ended?.message} first`)))
        }
        watchers.add(check)
        check()
      })
    },
    async close() {
      controller.abort()
      await reader.cancel().catch(() => undefined)
    },
  }
}
