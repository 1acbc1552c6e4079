import { afterEach, describe, expect, test, vi } from 'vitest'
import { backoffDelay } from '../src/backoff.js'
import { PenguinApiError, PenguinClient, type ServerEvent } from '../src/index.js'
import { deadUrl, json, sseEvent, sseHead, startServer, type TestServer } from './sse-server.js'

let server: TestServer | undefined
afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
  server = undefined
})

/**
 * Moves a fake clock a millisecond at a time, letting real I/O run in between, until `promise`
 * settles. Time passes only here, so a wait of N ms means at least N steps, however busy the machine.
 */
async function runClockUntil<T>(promise: Promise<T>): Promise<T> {
  let settled = false
  const done = promise.finally(() => {
    settled = true
  })
  while (!settled) {
    await vi.advanceTimersByTimeAsync(1)
    await new Promise((resolve) => setImmediate(resolve))
  }
  return done
}

const delta = (n: number) => ({
  type: 'text.delta',
  runId: 'run_1',
  time: n,
  delta: `d${n}`,
  session_id: 'ses_1',
})

const FAST = { initialDelayMs: 10, maxDelayMs: 50 }

describe('client.events()', () => {
  test('reconnects after a dropped connection and resumes with Last-Event-ID', async () => {
    server = await startServer((_req, res, index) => {
      sseHead(res)
      if (index === 0) {
        // Two events, half of a third, then the connection dies.
        // Cut once the bytes are on their way (the kernel delivers them before the close).
        res.write(`: ping\n\n${sseEvent(1, delta(1))}${sseEvent(2, delta(2))}id: 3\nevent: text.del`, () =>
          res.destroy(),
        )
        return
      }
      if (index === 1) {
        res.end(sseEvent(3, delta(3)) + sseEvent(4, delta(4)))
        return
      }
      res.write(sseEvent(5, delta(5)))
    })
    const client = new PenguinClient({ baseUrl: server.url, token: 'tok' })
    const controller = new AbortController()
    const seen: ServerEvent[] = []
    for await (const event of client.events({ sessionId: 'ses_1', signal: controller.signal, retry: FAST })) {
      seen.push(event)
      if (event.id === 5) controller.abort()
    }
    expect(seen.map((e) => e.id)).toEqual([1, 2, 3, 4, 5])
    expect(seen[0]).toEqual({ id: 1, event: 'text.delta', data: delta(1) })
    expect(server.requests.map((r) => [r.path, r.lastEventId])).toEqual([
      ['/api/v1/sessions/ses_1/events', undefined],
      ['/api/v1/sessions/ses_1/events', '2'],
      ['/api/v1/sessions/ses_1/events', '4'],
    ])
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok')
    expect(server.requests[0]!.headers.accept).toBe('text/event-stream')
  })

  test('starts from lastEventId, streams every session at /events, and ends on abort while idle', async () => {
    server = await startServer((_req, res) => {
      sseHead(res)
      res.write(sseEvent(11, delta(11)))
    })
    const client = new PenguinClient({ baseUrl: `${server.url}/api/v1/` })
    const controller = new AbortController()
    const stream = client.events({ lastEventId: 10, signal: controller.signal })
    const seen: number[] = []
    for await (const event of stream) {
      seen.push(event.id)
      // Abort on the next turn of the event loop, once the stream is back to waiting for data.
      setImmediate(() => controller.abort())
    }
    expect(seen).toEqual([11])
    expect(stream.lastEventId).toBe(11)
    expect(server.requests.map((r) => [r.path, r.lastEventId])).toEqual([['/api/v1/events', '10']])
  })

  test('backs off exponentially while the server is down, then resumes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const times: number[] = []
    server = await startServer((_req, res, index) => {
      times.push(Date.now())
      if (index < 3) return json(res, 503, { error: { code: 'unavailable', message: 'starting' } })
      sseHead(res)
      res.write(sseEvent(1, delta(1)))
    })
    const client = new PenguinClient({ baseUrl: server.url })
    const stream = client.events({ retry: { initialDelayMs: 40, maxDelayMs: 1000 } })
    const first = await runClockUntil(stream.next())
    stream.close()
    expect(first.value?.id).toBe(1)
    // Three refusals, then the stream. On the fake clock the gaps are at least the backoff (40, 80,
    // 160 ms less 20% jitter); the exact schedule is checked in backoffDelay's test.
    expect(times).toHaveLength(4)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(gaps[0]).toBeGreaterThanOrEqual(32)
    expect(gaps[1]).toBeGreaterThanOrEqual(64)
    expect(gaps[2]).toBeGreaterThanOrEqual(128)
  })

  test('backoffDelay doubles from the base, caps at the maximum, and jitters by ±20%', () => {
    const none = () => 0.5
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 40, 1000, none))).toEqual([40, 80, 160, 320])
    expect(backoffDelay(10, 40, 1000, none)).toBe(1000)
    expect(backoffDelay(1, 100, 1000, () => 0)).toBe(80)
    expect(backoffDelay(1, 100, 1000, () => 1)).toBeCloseTo(120)
  })

  test('a refusal (401) is final and thrown; connected() rejects with it', async () => {
    server = await startServer((_req, res) =>
      json(res, 401, { error: { code: 'unauthorized', message: 'Missing bearer token' } }),
    )
    const client = new PenguinClient({ baseUrl: server.url })
    const stream = client.events({ retry: FAST })
    await expect(stream.connected()).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
    await expect(stream.next()).rejects.toBeInstanceOf(PenguinApiError)
    expect(server.requests).toHaveLength(1)
  })

  test('maxAttempts bounds the retries against an unreachable server', async () => {
    const client = new PenguinClient({ baseUrl: await deadUrl() })
    const stream = client.events({ retry: { initialDelayMs: 5, maxAttempts: 3 } })
    const error = await stream.next().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PenguinApiError)
    expect(error).toMatchObject({ status: 0, code: 'unreachable' })
  })

  test('breaking out of the loop closes the connection', async () => {
    let socketClosed: Promise<void> | undefined
    server = await startServer((req, res) => {
      socketClosed = new Promise((resolve) => req.socket.once('close', () => resolve()))
      sseHead(res)
      res.write(sseEvent(1, delta(1)))
    })
    const client = new PenguinClient({ baseUrl: server.url })
    for await (const event of client.events()) {
      expect(event.id).toBe(1)
      break
    }
    // The server sees the client's socket close (a client that kept it open would time the test out).
    await socketClosed
    expect(server.requests).toHaveLength(1)
  })
})
