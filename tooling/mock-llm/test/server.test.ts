import { afterEach, describe, expect, it } from 'vitest'
import { type MockServer, startMockServer } from '../src/index.js'
import { type CompletionJson, chatBody, type ErrorJson, json, type ModelListJson, post } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('server', () => {
  it('listens on loopback and reports a /v1 base URL', async () => {
    server = await startMockServer()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1`)
  })

  it('records every request with its parsed body, also faulted ones', async () => {
    server = await startMockServer({ script: [{ fault: { status: 500 } }, { text: 'ok' }] })
    await post(server.url, chatBody({ temperature: 0.5 }), { authorization: 'Bearer k1' })
    await post(server.url.replace(/\/v1$/, ''), chatBody())
    expect(server.requests).toHaveLength(2)
    const [first, second] = server.requests
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions' })
    expect(first?.headers.authorization).toBe('Bearer k1')
    expect(first?.body).toMatchObject({
      model: 'mock-model',
      temperature: 0.5,
      messages: [{ role: 'user', content: 'hi' }],
    })
    // The path without the /v1 prefix is served too.
    expect(second?.path).toBe('/chat/completions')
    expect(server.remaining()).toBe(0)
  })

  it('records bodies that are not chat requests as undefined and answers 400', async () => {
    server = await startMockServer({ script: [{ text: 'unused' }] })
    const res = await post(server.url, 'not json')
    expect(res.status).toBe(400)
    expect(server.requests[0]?.body).toBeUndefined()
    expect(server.requests[0]?.rawBody).toBe('not json')
    expect(server.remaining()).toBe(1)
  })

  it('rejects other API keys with 401 when requireApiKey is set', async () => {
    server = await startMockServer({ script: [{ text: 'ok' }], requireApiKey: 'sk-good' })
    const bad = await post(server.url, chatBody(), { authorization: 'Bearer sk-bad' })
    expect(bad.status).toBe(401)
    expect((await json<ErrorJson>(bad)).error.code).toBe('invalid_api_key')
    const good = await post(server.url, chatBody(), { authorization: 'Bearer sk-good' })
    expect(good.status).toBe(200)
  })

  it('lists models and answers 404 model_not_found for others', async () => {
    server = await startMockServer({ script: [{ text: 'ok' }], models: ['m1', 'm2'] })
    const list = await json<ModelListJson>(await fetch(`${server.url}/models`))
    expect(list.data.map((m) => m.id)).toEqual(['m1', 'm2'])
    const res = await post(server.url, JSON.stringify({ model: 'nope', messages: [] }))
    expect(res.status).toBe(404)
    expect((await json<ErrorJson>(res)).error.code).toBe('model_not_found')
  })

  it('plays pushed turns, then a script function with the request and turn index', async () => {
    const seen: Array<[string | undefined, number]> = []
    server = await startMockServer({
      script: (request, index) => {
        seen.push([request.body?.model, index])
        return { text: `turn ${index}` }
      },
    })
    server.push({ text: 'pushed' })
    expect(server.remaining()).toBe(Number.POSITIVE_INFINITY)
    const texts: string[] = []
    for (let i = 0; i < 3; i++) {
      const body = await json<CompletionJson>(await post(server.url, chatBody()))
      texts.push(body.choices[0]?.message.content ?? '')
    }
    expect(texts).toEqual(['pushed', 'turn 1', 'turn 2'])
    expect(seen).toEqual([
      ['mock-model', 1],
      ['mock-model', 2],
    ])
  })

  it('closes promptly with a stream still in flight', async () => {
    // The gap between chunks never ends, so close() can only resolve by cutting the stream.
    server = await startMockServer({
      script: [{ text: 'slow stream', chunkDelayMs: 5_000 }],
      sleep: () => new Promise(() => {}),
    })
    const res = await post(server.url, chatBody({ stream: true }))
    expect(res.status).toBe(200)
    await server.close()
    server = undefined
    await expect(res.text()).rejects.toThrow()
  })
})
