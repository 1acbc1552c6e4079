/** A minimal SSE reader for tests: parses `id:`, `event:`, `data:` frames from a fetch body. */
export interface SseEvent {
  id?: number
  event: string
  data: Record<string, unknown>
}

export interface SseConnection {
  status: number
  /**
   * The next event (comments and `retry:` skipped), or undefined when the stream ended. The bound
   * only turns a hang into a clear error; it is generous because a busy machine is slow.
   */
  next(timeoutMs?: number): Promise<SseEvent | undefined>
  /** Events until (and including) the first one matching `until`. */
  collect(until: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent[]>
  /** Resolves once the raw stream contains `text` (e.g. a `: ping` comment). */
  waitForRaw(text: string, timeoutMs?: number): Promise<void>
  /** Raw text received so far (for `: ping` and `id:` checks). */
  readonly raw: string
  close(): void
}

const BOUND_MS = 60_000

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
  // One reader loop for the whole connection; waiters are woken by whatever it receives.
  const waiters = new Set<() => void>()
  const wake = () => {
    for (const waiter of waiters) waiter()
  }
  void (async () => {
    try {
      while (reader) {
        const { done, value } = await reader.read()
        if (done) break
        const text = decoder.decode(value, { stream: true })
        raw += text
        buffer += text
        let cut = buffer.indexOf('\n\n')
        while (cut >= 0) {
          const event = parseFrame(buffer.slice(0, cut))
          buffer = buffer.slice(cut + 2)
          if (event) queue.push(event)
          cut = buffer.indexOf('\n\n')
        }
        wake()
      }
    } catch {
      // Closed by us or dropped by the server: either way the stream has ended.
    }
    ended = true
    wake()
  })()

  /** Resolves once `ready()` holds, re-checked whenever data arrives; rejects after `timeoutMs`. */
  const when = (ready: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!ready()) return
        settle()
        resolve()
      }
      const timer = setTimeout(() => {
        settle()
        reject(new Error(`timed out waiting for ${what}; received so far:\n${raw}`))
      }, timeoutMs)
      const settle = () => {
        clearTimeout(timer)
        waiters.delete(check)
      }
      waiters.add(check)
      check()
    })

  const next = async (timeoutMs = BOUND_MS): Promise<SseEvent | undefined> => {
    await when(() => queue.length > 0 || ended, 'an SSE event', timeoutMs)
    return queue.shift()
  }

  return {
    status: response.status,
    next,
    async collect(until, timeoutMs = BOUND_MS) {
      const events: SseEvent[] = []
      for (;;) {
        const event = await next(timeoutMs)
        if (!event) return events
        events.push(event)
        if (until(event)) return events
      }
    },
    waitForRaw: (text, timeoutMs = BOUND_MS) =>
      when(() => raw.includes(text) || ended, JSON.stringify(text), timeoutMs).then(() => {
        if (!raw.includes(text)) throw new Error(`the stream ended without ${JSON.stringify(text)}:\n${raw}`)
      }),
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
