import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AuthError,
  ContextTooLongError,
  ModelNotFoundError,
  resolveModel,
  UnreachableError,
} from '../src/index.js'
import { chatRequests, errorOf, mockModel, run, userRequest } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/**
 * A port nothing listens on: bind one, note it, close it. testkit's `freePort()` is the same; llm
 * keeps its own because the testkit depends on llm.
 */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

describe('typed errors', () => {
  it('401 is an AuthError, not retried, and the message names the env var but never the key', async () => {
    const key = 'sk-wrong-secret-0123456789'
    server = await startMockServer({ script: [{ text: 'unused' }], requireApiKey: 'sk-right' })
    const model = resolveModel('openai/gpt-4o', { baseUrl: server.url, env: { OPENAI_API_KEY: key } })
    const { events, stream } = await run(model, userRequest())
    const error = errorOf(events)
    expect(error).toBeInstanceOf(AuthError)
    expect(error.status).toBe(401)
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(/: Incorrect API key provided\. Check OPENAI_API_KEY\.$/)
    expect(error.message).not.toContain(key)
    expect(events.some((e) => e.type === 'retry')).toBe(false)
    expect(chatRequests(server)).toHaveLength(1)
    await expect(stream.result()).rejects.toBe(error)
  })

  it('redacts the key when the server echoes it back', async () => {
    const key = 'sk-proj-abcdefghijklmnop'
    server = await startMockServer({
      script: [{ fault: { status: 403, message: `Key ${key} is not allowed` } }],
    })
    const error = errorOf((await run(mockModel(server, key), userRequest())).events)
    expect(error).toBeInstanceOf(AuthError)
    expect(error.message).not.toContain(key)
    expect(error.message).toContain('[redacted]')
  })

  it('404 model_not_found is a ModelNotFoundError', async () => {
    server = await startMockServer({ script: [{ text: 'unused' }], models: ['other-model'] })
    const { events } = await run(mockModel(server), userRequest())
    const error = errorOf(events)
    expect(error).toBeInstanceOf(ModelNotFoundError)
    expect(error.message).toMatch(/model "mock-model" not found/)
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('a context-length 400 is a ContextTooLongError', async () => {
    server = await startMockServer({
      script: [
        {
          fault: {
            status: 400,
            code: 'context_length_exceeded',
            message:
              "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
          },
        },
        { fault: { status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' } },
      ],
    })
    const first = errorOf((await run(mockModel(server), userRequest())).events)
    expect(first).toBeInstanceOf(ContextTooLongError)
    expect(first.retryable).toBe(false)
    expect(errorOf((await run(mockModel(server), userRequest())).events)).toBeInstanceOf(ContextTooLongError)
  })

  it('other 4xx are bad_request one-liners, not retried', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 422, message: 'tools[0].name:\n  invalid   characters' } }],
    })
    const error = errorOf((await run(mockModel(server), userRequest())).events)
    expect(error.kind).toBe('bad_request')
    expect(error.message).toBe('custom rejected the request (HTTP 422): tools[0].name: invalid characters')
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('a port with nothing listening is an UnreachableError naming the URL', async () => {
    const port = await freePort()
    const model = resolveModel('mock-model', { baseUrl: `http://127.0.0.1:${port}/v1`, env: {} })
    const { events } = await run(model, userRequest(), {
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 10 },
    })
    const error = errorOf(events)
    expect(error).toBeInstanceOf(UnreachableError)
    expect(error.message).toContain(`cannot reach http://127.0.0.1:${port}/v1`)
    expect(error.message).toContain('connection refused')
    // Unreachable is retryable: one retry was announced before giving up.
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })

  it('a password in the base URL is never in the error or the retry announcement', async () => {
    const port = await freePort()
    const model = resolveModel('mock-model', {
      baseUrl: `http://alice:s3cret-pw@127.0.0.1:${port}/v1`,
      env: {},
    })
    const { events } = await run(model, userRequest(), {
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 10 },
    })
    const error = errorOf(events)
    expect(error.message).toContain(`cannot reach http://alice:[redacted]@127.0.0.1:${port}/v1`)
    expect(JSON.stringify(events)).not.toContain('s3cret-pw')
  })

  it('an error sent inside a 200 SSE stream is classified like an HTTP error', async () => {
    // The mock cannot script this, so a raw server sends what some proxies do mid-stream.
    const raw = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const error = { message: 'maximum context length is 8192 tokens', code: 'context_length_exceeded' }
      res.end(`data: ${JSON.stringify({ error })}\n\n`)
    })
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
    try {
      const address = raw.address()
      if (typeof address !== 'object' || address === null) throw new Error('no port')
      const model = resolveModel('m', { baseUrl: `http://127.0.0.1:${address.port}/v1`, env: {} })
      const error = errorOf((await run(model, userRequest())).events)
      expect(error).toBeInstanceOf(ContextTooLongError)
      expect(error.message).toContain('maximum context length is 8192 tokens')
    } finally {
      raw.closeAllConnections()
      await new Promise<void>((resolve) => raw.close(() => resolve()))
    }
  })
})
