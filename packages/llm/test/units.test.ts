import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChunkAssembler } from '../src/adapters/chunk-assembler.js'
import { parseRetryAfter, redact } from '../src/adapters/error-text.js'
import {
  type Adapter,
  assistantMessage,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  EventStream,
  getAdapter,
  LlmError,
  makeUsage,
  RateLimitError,
  registerAdapter,
  type StreamEvent,
  streamChat,
  textOf,
  toolCallsOf,
  unregisterAdapter,
} from '../src/index.js'

function headers(values: Record<string, string>) {
  return { get: (name: string) => values[name] ?? null }
}

describe('ChunkAssembler', () => {
  it('handles calls without index (whole calls per chunk) and a stop reason after tool calls', () => {
    const a = new ChunkAssembler()
    const events: StreamEvent[] = [
      ...a.push({
        choices: [{ delta: { tool_calls: [{ id: 'x', function: { name: 'f', arguments: '{}' } }] } }],
      }),
      ...a.push({
        choices: [{ delta: { tool_calls: [{ id: 'y', function: { name: 'g', arguments: '{"a":1}' } }] } }],
      }),
      ...a.push({ choices: [{ delta: {}, finish_reason: 'stop' }] }),
      ...a.finish(),
    ]
    const done = events.at(-1)
    expect(done?.type === 'done' && done.stopReason).toBe('tool_calls')
    expect(done?.type === 'done' && toolCallsOf(done.message)).toEqual([
      { type: 'tool_call', id: 'x', name: 'f', arguments: '{}' },
      { type: 'tool_call', id: 'y', name: 'g', arguments: '{"a":1}' },
    ])
    expect(events.filter((e) => e.type === 'tool_call_end')).toHaveLength(2)
  })

  it('throws a retryable error when the stream ends without a finish reason', () => {
    const a = new ChunkAssembler()
    a.push({ choices: [{ delta: { content: 'half' } }] })
    expect(() => a.finish()).toThrow(LlmError)
    try {
      a.finish()
    } catch (error) {
      expect(error instanceof LlmError && error.retryable).toBe(true)
    }
  })

  it('reports zero usage when the server sent none', () => {
    const a = new ChunkAssembler()
    a.push({ choices: [{ delta: { content: 'hi' }, finish_reason: 'stop' }] })
    const events = a.finish()
    expect(events.some((e) => e.type === 'usage')).toBe(false)
    const done = events.at(-1)
    expect(done?.type === 'done' && done.usage).toEqual(makeUsage({ input: 0, output: 0 }))
  })
})

describe('error text', () => {
  it('parses Retry-After as seconds, fractions, dates and retry-after-ms', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3_000)
    expect(parseRetryAfter(headers({ 'retry-after': '0.25' }))).toBe(250)
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1_500)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5_000)
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined()
    expect(parseRetryAfter(headers({}))).toBeUndefined()
  })

  it('redacts the key and key-shaped strings', () => {
    expect(redact('bad key abc-secret-1', 'abc-secret-1')).toBe('bad key [redacted]')
    expect(redact('Incorrect API key provided: sk-proj-ABCDEFGHIJ1234', undefined)).toBe(
      'Incorrect API key provided: [redacted]',
    )
  })
})

describe('retry decisions', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxTotalDelayMs: 5_000 }

  it('has the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxTotalDelayMs: 25_000,
    })
  })

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(1, policy, () => 1)).toBe(100)
    expect(backoffDelay(3, policy, () => 1)).toBe(400)
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000)
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200)
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('retries only retryable errors, within attempts and budget, obeying Retry-After', () => {
    const server = new LlmError('server', 'boom')
    expect(decideRetry(server, 1, policy, 0, () => 1)).toEqual({ retry: true, delayMs: 100 })
    expect(decideRetry(server, 5, policy, 0)).toEqual({ retry: false })
    expect(decideRetry(server, 2, policy, 4_950, () => 1)).toEqual({ retry: true, delayMs: 50 })
    expect(decideRetry(server, 2, policy, 5_000)).toEqual({ retry: false })
    expect(decideRetry(new LlmError('bad_request', 'no'), 1, policy, 0)).toEqual({ retry: false })
    const limited = new RateLimitError('slow down', { retryAfterMs: 3_000 })
    expect(decideRetry(limited, 1, policy, 0)).toEqual({ retry: true, delayMs: 3_000 })
    expect(decideRetry(limited, 1, policy, 2_500)).toEqual({ retry: false })
  })
})

describe('EventStream', () => {
  it('buffers events for a late consumer and resolves the result', async () => {
    const s = new EventStream<number, string>()
    s.push(1)
    s.push(2)
    s.end('done')
    s.push(3)
    const seen: number[] = []
    for await (const n of s) seen.push(n)
    expect(seen).toEqual([1, 2])
    expect(await s.result()).toBe('done')
  })

  it('wakes a waiting consumer and rejects the result on failure', async () => {
    const s = new EventStream<number, string>()
    const seen: number[] = []
    const consuming = (async () => {
      for await (const n of s) seen.push(n)
    })()
    // After the consumer is already waiting (the next turn of the event loop).
    setImmediate(() => {
      s.push(7)
      s.fail(new Error('x'))
    })
    await consuming
    expect(seen).toEqual([7])
    await expect(s.result()).rejects.toThrow('x')
  })
})

describe('adapter registry', () => {
  it('routes by ResolvedModel.api to a registered adapter, e.g. a scripted one', async () => {
    const scripted: Adapter = {
      api: 'scripted',
      async *stream() {
        yield { type: 'text_delta', delta: 'demo' }
        const message = assistantMessage('demo')
        const usage = makeUsage({ input: 1, output: 1 })
        yield { type: 'done', stopReason: 'stop', message, usage }
      },
    }
    registerAdapter(scripted)
    try {
      expect(getAdapter('scripted')).toBe(scripted)
      expect(getAdapter('openai-chat')?.api).toBe('openai-chat')
      const model = {
        id: 'demo/x',
        provider: 'demo',
        model: 'x',
        api: 'scripted',
        baseUrl: 'demo:',
        info: { contextWindow: 1000, maxOutputTokens: 100, inputPrice: 0, outputPrice: 0 },
      }
      const result = await streamChat(model, { messages: [] }).result()
      expect(textOf(result.message)).toBe('demo')
    } finally {
      unregisterAdapter('scripted')
    }
  })

  it('fails cleanly when no adapter speaks the api', async () => {
    const model = {
      id: 'x/y',
      provider: 'x',
      model: 'y',
      api: 'nope',
      baseUrl: 'x:',
      info: { contextWindow: 1, maxOutputTokens: 1, inputPrice: 0, outputPrice: 0 },
    }
    const events: StreamEvent[] = []
    for await (const e of streamChat(model, { messages: [] })) events.push(e)
    expect(events).toHaveLength(1)
    expect(events[0]?.type === 'error' && events[0].error.message).toMatch(
      /no adapter registered for api "nope"/,
    )
  })

  it('does not retry errors thrown by a buggy adapter', async () => {
    let calls = 0
    registerAdapter({
      api: 'buggy',
      // biome-ignore lint/correctness/useYield: the point is an adapter that throws before yielding
      async *stream() {
        calls++
        throw new TypeError('oops')
      },
    })
    try {
      const model = {
        id: 'b/b',
        provider: 'b',
        model: 'b',
        api: 'buggy',
        baseUrl: 'b:',
        info: { contextWindow: 1, maxOutputTokens: 1, inputPrice: 0, outputPrice: 0 },
      }
      await expect(streamChat(model, { messages: [] }).result()).rejects.toThrow(
        /adapter "buggy" failed: oops/,
      )
      expect(calls).toBe(1)
    } finally {
      unregisterAdapter('buggy')
    }
  })
})

describe('startup cost', () => {
  it('imports the openai SDK only lazily (type-only imports at module level)', async () => {
    const files: string[] = []
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) await walk(path)
        else if (path.endsWith('.ts')) files.push(path)
      }
    }
    await walk(join(import.meta.dirname, '../src'))
    for (const file of files) {
      const source = await readFile(file, 'utf8')
      const valueImports = source.match(/^import\s+(?!type\b)[^;]*?from\s+'openai[^']*'/gm) ?? []
      expect(valueImports, file).toEqual([])
    }
  })
})
