/** A minimal SSE reader for tests: parses `id:`, `event:`, `data:` frames from a fetch body. */
export interface SseEvent {
  id?: number
  event: string
  data: Record<string, unknown>
}

export interface SseConnection {
  status: number
  /** The next event (comments and `retry:` skipped), or undefined when the stream ended. */
  next(timeoutMs?: number): Promise<SseEvent | undefined>
  /** Events until (and including) the first one matching `until`. */
  collect(until: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent[]>
  /** Raw text received so far (for `: ping` and `id:` checks). */
  readonly raw: string
  close(): void
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  })
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let raw = ''
  const queue: SseEvent[] = []
  let ended = false

  const pump = async (): Promise<void> => {
    if (!reader) {
      ended = true
      return
    }
    const { done, value } = await reader.read()
    if (done) {
      ended = true
      return
    }
    const text = decoder.decode(value, { stream: true })
    raw += text
    buffer += text
    let cut = buffer.indexOf('\n\n')
    while (cut >= 0) {
      const frame = buffer.slice(0, cut)
      buffer = buffer.slice(cut + 2)
      const event = parseFrame(frame)
      if (event) queue.push(event)
      cut = buffer.indexOf('\n\n')
    }
  }

  const next = async (timeoutMs = 10_000): Promise<SseEvent | undefined> => {
    const deadline = Date.now() + timeoutMs
    while (queue.length === 0 && !ended) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('timed out waiting for an SSE event')
      await Promise.race([pump(), new Promise((resolve) => setTimeout(resolve, left))])
    }
    return queue.shift()
  }

  return {
    status: response.status,
    next,
    async collect(until, timeoutMs = 15_000) {
      const events: SseEvent[] = []
      for (;;) {
        const event = await next(timeoutMs)
        if (!event) return events
        events.push(event)
        if (until(event)) return events
      }
    },
    get raw() {
      return raw
    },
    close() {
      controller.abort()
      reader?.cancel().catch(() => {})
    },
  }
}

function parseFrame(frame: string): SseEvent | undefined {
  let id: number | undefined
  let event = 'message'
  const data: string[] = []
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || line === '') continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = Number(value)
    else if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  if (data.length === 0) return undefined
  return {
    ...(id === undefined ? {} : { id }),
    event,
    data: JSON.parse(data.join('\n')) as Record<string, unknown>,
  }
}
