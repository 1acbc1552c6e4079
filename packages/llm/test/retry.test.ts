import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AbortedError, RateLimitError, type StreamEvent, streamChat, textOf } from '../src/index.js'
import { follow, roundTrip, startManualStreamServer, useFakeClock } from './clock.js'
import {
  chatRequests,
  doneOf,
  errorOf,
  FAST_RETRY,
  mockModel,
  run,
  streamedText,
  userRequest,
} from './helpers.js'

let server: MockServer | undefined
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
  server = undefined
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A stream against the mock with the test helpers' options, followed in the background. */
function followed(request = userRequest(), options: Parameters<typeof streamChat>[2] = {}) {
  if (!server) throw new Error('start the mock first')
  return follow(streamChat(mockModel(server), request, { retry: FAST_RETRY, timeoutMs: 5_000, ...options }))
}

/** The text a consumer ends up with if it discards partial output on `retry`, as the contract says. */
function consumerText(events: StreamEvent[]): string {
  let text = ''
  for (const e of events) {
    if (e.type === 'retry') text = ''
    if (e.type === 'text_delta') text += e.delta
  }
  return text
}

describe('retries', () => {
  it('waits out a 429 Retry-After, then succeeds', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 429, retryAfter: 0.3 } }, { text: 'after the wait' }],
    })
    useFakeClock()
    const stream = followed()
    const retry = await stream.next('retry')
    expect(retry).toMatchObject({ type: 'retry', attempt: 1, delayMs: 300 })
    expect(retry.reason).toMatch(/rate limited/)
    // The second request waits for the clock: not sent a millisecond early, sent once the wait is over.
    await vi.advanceTimersByTimeAsync(299)
    await roundTrip(server)
    expect(chatRequests(server)).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(textOf(doneOf(await stream.ended).message)).toBe('after the wait')
    expect(chatRequests(server)).toHaveLength(2)
  })

  it('honours retry-after-ms as well', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 429, headers: { 'retry-after-ms': '150' } } }, { text: 'ok' }],
    })
    const { events } = await run(mockModel(server), userRequest())
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 150 })
    expect(textOf(doneOf(events).message)).toBe('ok')
  })

  it('gives up with the rate-limit error when Retry-After exceeds the remaining budget', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 429, retryAfter: 60 } }, { text: 'never' }],
    })
    // On a clock that never moves, the stream can only end if it gives up without waiting.
    useFakeClock()
    const error = errorOf(await followed().ended)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.retryAfterMs).toBe(60_000)
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('retries a 500, then succeeds', async () => {
    server = await startMockServer({ script: [{ fault: { status: 500 } }, { text: 'recovered' }] })
    const { events } = await run(mockModel(server), userRequest())
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1)
    expect(textOf(doneOf(events).message)).toBe('recovered')
    expect(chatRequests(server)).toHaveLength(2)
  })

  it('recovers from a connection dropped mid-stream without duplicating text', async () => {
    const text = 'The first attempt dies halfway through this sentence.'
    server = await startMockServer({ script: [{ text, fault: { dropAfterChunks: 3 } }, { text }] })
    const { events } = await run(mockModel(server), userRequest())
    const retryAt = events.findIndex((e) => e.type === 'retry')
    expect(retryAt).toBeGreaterThan(0)
    // Partial output came before the retry event...
    expect(streamedText(events.slice(0, retryAt)).length).toBeGreaterThan(0)
    expect(streamedText(events.slice(0, retryAt))).not.toBe(text)
    const retry = events[retryAt]
    expect(retry?.type === 'retry' && retry.reason).toMatch(/cannot reach .*connection closed/)
    // ...and the final message and a discarding consumer both hold the text exactly once.
    expect(textOf(doneOf(events).message)).toBe(text)
    expect(consumerText(events)).toBe(text)
    expect(chatRequests(server)).toHaveLength(2)
  })

  it('recovers from a hang-up before any response', async () => {
    server = await startMockServer({ script: [{ fault: { hangup: true } }, { text: 'second try' }] })
    const { events } = await run(mockModel(server), userRequest())
    expect(textOf(doneOf(events).message)).toBe('second try')
  })

  it('honours Retry-After on an overloaded 503 too', async () => {
    server = await startMockServer({ script: [{ fault: { status: 503, retryAfter: 0.1 } }, { text: 'ok' }] })
    const { events } = await run(mockModel(server), userRequest())
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 100 })
    expect(textOf(doneOf(events).message)).toBe('ok')
  })

  it('gives up after maxAttempts with the last error', async () => {
    server = await startMockServer({
      script: [
        { fault: { status: 503 } },
        { fault: { status: 502 } },
        { fault: { status: 500, message: 'still broken' } },
        { text: 'too late' },
      ],
    })
    const { events, stream } = await run(mockModel(server), userRequest(), {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalDelayMs: 1_000 },
    })
    const error = errorOf(events)
    expect(error.kind).toBe('server')
    expect(error.status).toBe(500)
    expect(error.message).toContain('still broken')
    expect(events.filter((e) => e.type === 'retry').map((e) => (e.type === 'retry' ? e.attempt : 0))).toEqual(
      [1, 2],
    )
    expect(chatRequests(server)).toHaveLength(3)
    expect(server.remaining()).toBe(1)
    await expect(stream.result()).rejects.toBe(error)
  })

  it('gives up when the total delay budget is spent', async () => {
    server = await startMockServer({
      script: [
        { fault: { status: 500 } },
        { fault: { status: 500 } },
        { fault: { status: 500 } },
        { text: 'x' },
      ],
    })
    const { events } = await run(mockModel(server), userRequest(), {
      retry: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 1_000, maxTotalDelayMs: 0 },
    })
    expect(errorOf(events).kind).toBe('server')
    expect(chatRequests(server)).toHaveLength(1)
  })
})

describe('abort and timeouts', () => {
  it('aborting mid-stream ends with an AbortedError promptly', async () => {
    server = await startMockServer({
      script: [{ text: 'a long and slow answer, chunk by chunk', chunkDelayMs: 200 }],
    })
    // The rest of the answer is seconds away, so a stream that ignored the abort would end in `done`.
    const controller = new AbortController()
    const events: StreamEvent[] = []
    const stream = streamChat(mockModel(server), userRequest('hi', { signal: controller.signal }), {
      retry: FAST_RETRY,
    })
    for await (const event of stream) {
      events.push(event)
      if (event.type === 'text_delta') controller.abort()
    }
    expect(errorOf(events)).toBeInstanceOf(AbortedError)
    expect(events.some((e) => e.type === 'retry')).toBe(false)
    await expect(stream.result()).rejects.toBeInstanceOf(AbortedError)
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('aborting during a retry wait stops at once', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 429, retryAfter: 1.5 } }, { text: 'never' }],
    })
    // The clock never moves: the stream ends only if the abort cuts the wait short.
    useFakeClock()
    const controller = new AbortController()
    const stream = streamChat(mockModel(server), userRequest('hi', { signal: controller.signal }), {
      retry: FAST_RETRY,
    })
    const events: StreamEvent[] = []
    for await (const event of stream) {
      events.push(event)
      if (event.type === 'retry') controller.abort()
    }
    expect(errorOf(events)).toBeInstanceOf(AbortedError)
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('an already-aborted signal sends nothing', async () => {
    server = await startMockServer({ script: [{ text: 'never' }] })
    const { events } = await run(mockModel(server), userRequest('hi', { signal: AbortSignal.abort() }))
    expect(errorOf(events)).toBeInstanceOf(AbortedError)
    expect(chatRequests(server)).toHaveLength(0)
  })

  it('times out a slow first response, retries, and succeeds', async () => {
    const never = createGate()
    server = await startMockServer({
      script: [{ text: 'too slow', holdUntil: never.promise }, { text: 'fast' }],
    })
    useFakeClock()
    const stream = followed(userRequest(), { timeoutMs: 200 })
    // The first attempt has reached the model, which holds its answer; 200 ms of silence pass.
    await server.waitForRequests(1)
    await vi.advanceTimersByTimeAsync(199)
    await roundTrip(server)
    expect(stream.events).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    const retry = await stream.next('retry')
    expect(retry.reason).toMatch(/no response from .* within 0.2s/)
    // The retry's wait may have been set during the tick above, which fake timers count from the next
    // millisecond: one more covers it (the new attempt's 200 ms timeout is nowhere near).
    await vi.advanceTimersByTimeAsync(retry.delayMs + 1)
    expect(textOf(doneOf(await stream.ended).message)).toBe('fast')
    expect(chatRequests(server)).toHaveLength(2)
  })

  it('does not time out a long stream whose chunks keep coming', async () => {
    const manual = await startManualStreamServer()
    cleanups.push(manual.close)
    useFakeClock()
    const model = mockModel(manual)
    const stream = follow(streamChat(model, userRequest(), { retry: FAST_RETRY, timeoutMs: 200 }))
    const response = await manual.nextResponse()
    // Five chunks 150 ms apart: 750 ms in all, far over the timeout, but never 200 ms of silence.
    const pieces = ['a healthy ', 'answer that ', 'takes longer ', 'than the ', 'timeout']
    for (const [i, piece] of pieces.entries()) {
      vi.advanceTimersByTime(150)
      response.text(piece)
      await stream.next('text_delta', i + 1)
    }
    vi.advanceTimersByTime(150)
    response.finish()
    const events = await stream.ended
    expect(events.some((e) => e.type === 'retry')).toBe(false)
    expect(textOf(doneOf(events).message)).toBe(pieces.join(''))
  })

  it('times out a stream that stalls between chunks', async () => {
    const manual = await startManualStreamServer()
    cleanups.push(manual.close)
    useFakeClock()
    const stream = follow(
      streamChat(mockModel(manual), userRequest(), {
        timeoutMs: 200,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 1 },
      }),
    )
    const response = await manual.nextResponse()
    response.text('stalls after the first chunk')
    await stream.next('text_delta')
    vi.advanceTimersByTime(200)
    const error = errorOf(await stream.ended)
    expect(error.kind).toBe('timeout')
    expect(error.retryable).toBe(true)
  })

  it('breaking out of the iteration cancels the request', async () => {
    server = await startMockServer({
      script: [{ text: 'slow answer that nobody reads to the end', chunkDelayMs: 100 }],
    })
    const stream = streamChat(mockModel(server), userRequest(), { retry: FAST_RETRY })
    for await (const event of stream) if (event.type === 'text_delta') break
    await expect(stream.result()).rejects.toBeInstanceOf(AbortedError)
  })
})
