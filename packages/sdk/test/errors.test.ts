import { afterEach, describe, expect, test } from 'vitest'
import { PenguinApiError, PenguinClient, parseRetryAfter } from '../src/index.js'
import { deadUrl, json, startServer, type TestServer } from './sse-server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function failure(promise: Promise<unknown>): Promise<PenguinApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PenguinApiError)
  return error as PenguinApiError
}

describe('errors', () => {
  test.each([
    [400, 'invalid_request', { issues: [{ path: 'workspace', message: 'Required' }] }],
    [401, 'unauthorized', undefined],
    [403, 'forbidden', undefined],
    [404, 'not_found', undefined],
    [409, 'conflict', undefined],
    [413, 'payload_too_large', undefined],
    [422, 'unprocessable', undefined],
    [500, 'internal', undefined],
  ])('%i %s: status, code, message and details from the body', async (status, code, details) => {
    server = await startServer((_req, res) =>
      json(res, status, { error: { code, message: `msg ${status}`, ...(details ? { details } : {}) } }),
    )
    const client = new PenguinClient({ baseUrl: server.url })
    const error = await failure(client.sessions.create({ workspace: '/x' }))
    expect(error).toMatchObject({ status, code, message: `msg ${status}`, details, retryAfter: undefined })
    expect(error.name).toBe('PenguinApiError')
  })

  test('429 carries Retry-After in seconds', async () => {
    server = await startServer((_req, res) =>
      json(res, 429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '12' }),
    )
    const client = new PenguinClient({ baseUrl: server.url })
    const error = await failure(client.sessions.list())
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 12 })
  })

  test('a body that is not the error envelope keeps the status and a code for it', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<h1>Bad gateway</h1>')
    })
    const client = new PenguinClient({ baseUrl: server.url })
    const error = await failure(client.health())
    expect(error).toMatchObject({ status: 502, code: 'internal', message: '<h1>Bad gateway</h1>' })
  })

  test('no server: status 0, code unreachable, the address in the message', async () => {
    const url = await deadUrl()
    const client = new PenguinClient({ baseUrl: url })
    const error = await failure(client.sessions.list())
    expect(error).toMatchObject({ status: 0, code: 'unreachable' })
    expect(error.message).toContain(`Cannot reach the Penguin server at ${url}`)
    expect(error.message).toMatch(/ECONNREFUSED/)
  })

  test('an aborted call rejects with the abort reason, not as unreachable', async () => {
    server = await startServer(() => undefined)
    const client = new PenguinClient({ baseUrl: server.url })
    const controller = new AbortController()
    const pending = client.sessions.list({}, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  test('parseRetryAfter: seconds, HTTP dates, garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3)
    expect(parseRetryAfter('0.5', now)).toBe(0.5)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  test('baseUrl must be http(s)', () => {
    expect(() => new PenguinClient({ baseUrl: 'localhost:8787' })).toThrow(/http/)
    expect(() => new PenguinClient({ baseUrl: 'ftp://x' })).toThrow(/http/)
  })
})
