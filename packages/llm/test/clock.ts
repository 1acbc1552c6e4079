import { createServer, type ServerResponse } from 'node:http'
import { vi } from 'vitest'
import type { ChatStream, StreamEvent } from '../src/index.js'

/**
 * Retry waits and timeouts run on a fake clock, so a test decides when time passes instead of
 * sleeping and measuring: only `setTimeout`/`clearTimeout` are faked, so sockets and the mock
 * server's I/O still run for real. Undo with `vi.useRealTimers()` (the tests do it in afterEach).
 */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
}

type EventOf<T extends StreamEvent['type']> = Extract<StreamEvent, { type: T }>

export interface FollowedStream {
  readonly events: StreamEvent[]
  /** Resolves with every event once the stream has ended (it always ends with done or error). */
  readonly ended: Promise<StreamEvent[]>
  /** The `nth` (default first) event of this type, as soon as it has been seen. */
  next<T extends StreamEvent['type']>(type: T, nth?: number): Promise<EventOf<T>>
}

/** Consumes a stream in the background, so the test can wait for one event and then move the clock. */
export function follow(stream: ChatStream): FollowedStream {
  const events: StreamEvent[] = []
  const waiters = new Set<() => void>()
  let finished = false
  const ended = (async () => {
    for await (const event of stream) {
      events.push(event)
      for (const wake of waiters) wake()
    }
    finished = true
    for (const wake of waiters) wake()
    return events
  })()
  return {
    events,
    ended,
    next(type, nth = 1) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const event = events.filter((e) => e.type === type)[nth - 1]
          if (event) resolve(event as EventOf<typeof type>)
          else if (finished) reject(new Error(`the stream ended without ${type}: ${summary(events)}`))
          else return
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
  }
}

function summary(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'error' ? `error(${e.error.message})` : e.type)).join(', ')
}

/**
 * One full HTTP round trip to the server: whatever the client had already sent it by then has
 * (in practice) arrived, so "nothing more arrived" is a fair check — and never a false failure.
 */
export async function roundTrip(server: { url: string }): Promise<void> {
  await (await fetch(`${server.url}/models`)).arrayBuffer()
}

export interface ManualStream {
  /** Sends one text chunk. */
  text(delta: string): void
  /** Sends the finish chunk and `[DONE]`, and ends the response. */
  finish(): void
}

/**
 * A Chat Completions endpoint whose streamed answer the test writes chunk by chunk, so the gaps
 * between chunks are exactly where the test moves the fake clock.
 */
export async function startManualStreamServer(): Promise<{
  url: string
  /** The next request's response, opened with the role chunk. */
  nextResponse(): Promise<ManualStream>
  close(): Promise<void>
}> {
  const pending: ServerResponse[] = []
  const waiting: Array<(res: ServerResponse) => void> = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const taker = waiting.shift()
      if (taker) taker(res)
      else pending.push(res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no address')
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-manual',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'mock-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`
  const open = (res: ServerResponse): ManualStream => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(chunk({ role: 'assistant', content: '' }, null))
    return {
      text: (delta) => void res.write(chunk({ content: delta }, null)),
      finish: () => res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`),
    }
  }
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    nextResponse: () =>
      new Promise((resolve) => {
        const res = pending.shift()
        if (res) resolve(open(res))
        else waiting.push((r) => resolve(open(r)))
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
