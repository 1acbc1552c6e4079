/** The mock's Anthropic Messages wire, checked with plain fetch: exact events, strict validation, caching. */
import { afterEach, describe, expect, it } from 'vitest'
import { type MockServer, startMockServer } from '../src/index.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }

function post(body: unknown, headers: Record<string, string> = HEADERS) {
  return fetch(`${server!.root}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(body) })
}

function events(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n')
      expect(eventLine).toMatch(/^event: /)
      expect(dataLine).toMatch(/^data: /)
      return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) as Record<string, unknown> }
    })
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 2048, messages: [{ role: 'user', content: 'hi' }] }

describe('mock Anthropic Messages wire', () => {
  it('streams message_start … message_stop with thinking, text and tool_use blocks in order', async () => {
    server = await startMockServer({
      script: [{ reasoning: 'Think.', text: 'Hello.', toolCalls: [{ name: 'look', arguments: { a: 1 } }] }],
    })
    const res = await post({ ...base, stream: true, thinking: { type: 'enabled', budget_tokens: 1024 } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const all = events(await res.text())
    const names = all.map((e) => e.event)
    expect(names[0]).toBe('message_start')
    expect(names[1]).toBe('ping')
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop'])
    const starts = all.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block)
    expect(starts).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_mock_0_0', name: 'look', input: {} },
    ])
    const deltas = all
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta as { type: string })
    expect(new Set(deltas.map((d) => d.type))).toEqual(
      new Set(['thinking_delta', 'signature_delta', 'text_delta', 'input_json_delta']),
    )
    const json = deltas.flatMap((d) =>
      d.type === 'input_json_delta' ? [(d as unknown as { partial_json: string }).partial_json] : [],
    )
    expect(json.join('')).toBe('{"a":1}')
    // Every block is opened, delta'd and closed by its own index.
    const stops = all.filter((e) => e.event === 'content_block_stop').map((e) => e.data.index)
    expect(stops).toEqual([0, 1, 2])
    expect(all.at(-2)!.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: expect.any(Number) },
    })
    expect(all[0]!.data.message).toMatchObject({
      type: 'message',
      role: 'assistant',
      usage: { input_tokens: expect.any(Number), cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    })
  })

  it('checks headers and the request like the API, without consuming turns', async () => {
    server = await startMockServer({ script: [{ text: 'ok' }] })
    const noKey = await post(base, { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' })
    expect(noKey.status).toBe(401)
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    const noVersion = await post(base, { 'content-type': 'application/json', 'x-api-key': 'k' })
    expect(noVersion.status).toBe(400)
    const bad = async (body: unknown) => {
      const res = await post(body)
      expect(res.status).toBe(400)
      const json = (await res.json()) as { error: { type: string; message: string } }
      expect(json.error.type).toBe('invalid_request_error')
      return json.error.message
    }
    expect(await bad({ ...base, max_tokens: undefined })).toMatch(/max_tokens/)
    expect(await bad({ ...base, frequency_penalty: 1 })).toMatch(
      /frequency_penalty: Extra inputs are not permitted/,
    )
    expect(await bad({ ...base, messages: [{ role: 'system', content: 'x' }] })).toMatch(/role/)
    expect(
      await bad({
        ...base,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'x', input: {} }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'next' },
              { type: 'tool_result', tool_use_id: 't1' },
            ],
          },
        ],
      }),
    ).toMatch(/tool_result blocks must come before any other content/)
    expect(
      await bad({
        ...base,
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'x', signature: 'forged' },
              { type: 'text', text: 'y' },
            ],
          },
          { role: 'user', content: 'more' },
        ],
      }),
    ).toMatch(/Invalid `signature` in `thinking` block/)
    const five = Array.from({ length: 5 }, (_, i) => ({
      type: 'text',
      text: `t${i}`,
      cache_control: { type: 'ephemeral' },
    }))
    expect(await bad({ ...base, messages: [{ role: 'user', content: five }] })).toMatch(
      /maximum of 4 blocks with cache_control/,
    )
    expect(await bad({ ...base, thinking: { type: 'enabled', budget_tokens: 4096 } })).toMatch(
      /max_tokens` must be greater/,
    )
    expect(
      await bad({
        ...base,
        max_tokens: 8000,
        temperature: 0.5,
        thinking: { type: 'enabled', budget_tokens: 1024 },
      }),
    ).toMatch(/temperature` may only be set to 1/)
    expect(server.remaining()).toBe(1)
  })

  it('rejects sampling parameters on API version 2026-10-21 and unknown versions', async () => {
    server = await startMockServer({ script: [{ text: 'ok' }] })
    const v2026 = { ...HEADERS, 'anthropic-version': '2026-10-21' }
    expect((await post({ ...base, temperature: 1 }, v2026)).status).toBe(400)
    expect((await post(base, { ...HEADERS, 'anthropic-version': '2024-01-01' })).status).toBe(400)
    expect((await post(base, v2026)).status).toBe(200)
  })

  it('caches up to breakpoints: a write, then a read of the same prefix; writes need 1,024 tokens', async () => {
    server = await startMockServer({ script: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] })
    const system = [{ type: 'text', text: 'S'.repeat(8_000), cache_control: { type: 'ephemeral' } }]
    const usage = async (body: unknown) =>
      ((await (await post(body)).json()) as { usage: Record<string, number> }).usage
    const first = await usage({ ...base, system })
    expect(first.cache_read_input_tokens).toBe(0)
    expect(first.cache_creation_input_tokens).toBeGreaterThan(2_000)
    const written = first.cache_creation_input_tokens
    const second = await usage({ ...base, system, messages: [{ role: 'user', content: 'another question' }] })
    expect(second).toMatchObject({ cache_read_input_tokens: written, cache_creation_input_tokens: 0 })
    const small = await usage({
      ...base,
      system: [{ type: 'text', text: 'short', cache_control: { type: 'ephemeral' } }],
    })
    expect(small).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 })
    expect(server.requests.map((r) => r.usage?.cacheRead)).toEqual([0, written, 0])
  })

  it('sends an overload as an error event after the stream began', async () => {
    server = await startMockServer({ script: [{ fault: { streamError: { type: 'overloaded_error' } } }] })
    const all = events(await (await post({ ...base, stream: true })).text())
    expect(all.map((e) => e.event)).toEqual(['message_start', 'error'])
    expect(all[1]!.data).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
  })

  it('answers status faults with Anthropic error bodies and retry-after', async () => {
    server = await startMockServer({
      script: [{ fault: { status: 529 } }, { fault: { status: 429, retryAfter: 3 } }],
    })
    const overloaded = await post(base)
    expect(overloaded.status).toBe(529)
    expect(await overloaded.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
    const limited = await post(base)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(((await limited.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error')
  })
})
