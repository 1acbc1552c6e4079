import { afterEach, describe, expect, it } from 'vitest'
import { createGate, type MockServer, startMockServer } from '../src/index.js'
import { type CompletionJson, chatBody, type ErrorJson, json, parseSse, post } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('faults', () => {
  it('answers 429 with a Retry-After header and an OpenAI-style error body', async () => {
    server = await startMockServer({ script: [{ fault: { status: 429, retryAfter: 2 } }, { text: 'ok' }] })
    const res = await post(server.url, chatBody({ stream: true }))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('2')
    const body = await json<ErrorJson>(res)
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' })
    expect(typeof body.error.message).toBe('string')
    // The fault consumed a turn; the next request gets the next one.
    expect(server.remaining()).toBe(1)
    expect((await post(server.url, chatBody())).status).toBe(200)
  })

  it('sends custom messages, codes, headers and bodies', async () => {
    server = await startMockServer({
      script: [
        {
          fault: { status: 400, message: 'maximum context length exceeded', code: 'context_length_exceeded' },
        },
        {
          fault: { status: 503, body: { error: { message: 'overloaded' } }, headers: { 'x-custom': 'yes' } },
        },
      ],
    })
    const first = await post(server.url, chatBody())
    expect(await first.json()).toEqual({
      error: {
        message: 'maximum context length exceeded',
        type: 'invalid_request_error',
        param: null,
        code: 'context_length_exceeded',
      },
    })
    const second = await post(server.url, chatBody())
    expect(second.status).toBe(503)
    expect(second.headers.get('x-custom')).toBe('yes')
    expect(await second.json()).toEqual({ error: { message: 'overloaded' } })
  })

  it('drops the connection after N chunks of a stream', async () => {
    server = await startMockServer({
      script: [{ text: 'a fairly long answer that is cut', fault: { dropAfterChunks: 2 } }],
    })
    const res = await post(server.url, chatBody({ stream: true }))
    expect(res.status).toBe(200)
    const reader = res.body?.getReader()
    if (!reader) throw new Error('no body')
    const decoder = new TextDecoder()
    let received = ''
    const failure = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return undefined
          received += decoder.decode(value)
        }
      } catch (error) {
        return error
      }
    })()
    expect(failure).toBeInstanceOf(Error)
    expect(parseSse(received)).toHaveLength(2)
    expect(received).not.toContain('[DONE]')
  })

  it('hangs up before responding', async () => {
    server = await startMockServer({ script: [{ fault: { hangup: true } }] })
    await expect(post(server.url, chatBody())).rejects.toThrow()
    expect(server.requests).toHaveLength(1)
  })

  it('waits delayMs before responding, through the clock it is given', async () => {
    const waits: number[] = []
    server = await startMockServer({
      script: [{ text: 'slow', delayMs: 150 }, { text: 'fast' }],
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    await (await post(server.url, chatBody())).json()
    await (await post(server.url, chatBody())).json()
    expect(waits).toEqual([150])
  })

  it('holds a response until its gate opens, and lets go when the client leaves', async () => {
    const gate = createGate()
    server = await startMockServer({
      script: [
        { text: 'held', holdUntil: gate.promise },
        { text: 'abandoned', holdUntil: new Promise(() => {}) },
      ],
    })
    let answered = false
    const held = post(server.url, chatBody()).then(async (res) => {
      answered = true
      return json<CompletionJson>(res)
    })
    await server.waitForRequests(1)
    // A full round trip later the held answer still has not come.
    await (await fetch(`${server.url}/models`)).arrayBuffer()
    expect(answered).toBe(false)
    gate.open()
    expect((await held).choices[0]?.message.content).toBe('held')
    // A client that gives up on a response held forever frees the mock to close at once.
    const controller = new AbortController()
    const abandoned = post(server.url, chatBody(), {}, controller.signal)
    await server.waitForRequests(3)
    controller.abort()
    await expect(abandoned).rejects.toThrow()
  })

  it('answers a clear 500 when the script is exhausted', async () => {
    server = await startMockServer({ script: [{ text: 'only one' }] })
    await (await post(server.url, chatBody())).text()
    const res = await post(server.url, chatBody())
    expect(res.status).toBe(500)
    const body = await json<ErrorJson>(res)
    expect(body.error.message).toMatch(/mock script is exhausted/)
    expect(body.error.code).toBe('mock_script_exhausted')
  })
})
