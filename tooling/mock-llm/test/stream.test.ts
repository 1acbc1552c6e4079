import { afterEach, describe, expect, it } from 'vitest'
import { createGate, type MockServer, startMockServer } from '../src/index.js'
import { type CompletionJson, chatBody, chunksOf, json, parseSse, post } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('non-streaming', () => {
  it('answers with a chat.completion body', async () => {
    server = await startMockServer({
      script: [{ text: 'Hello there', usage: { prompt_tokens: 7, completion_tokens: 3 } }],
    })
    const res = await post(server.url, chatBody())
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = await res.json()
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'mock-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    })
  })

  it('returns tool calls with JSON-encoded arguments and finish_reason tool_calls', async () => {
    server = await startMockServer({
      script: [{ toolCalls: [{ id: 'c1', name: 'read', arguments: { path: 'a' } }] }],
    })
    const body = await json<CompletionJson>(await post(server.url, chatBody()))
    expect(body.choices[0]?.finish_reason).toBe('tool_calls')
    expect(body.choices[0]?.message.tool_calls).toEqual([
      { id: 'c1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } },
    ])
  })
})

describe('streaming', () => {
  it('frames chunks as SSE, splits the text into several chunks and ends with [DONE]', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.'
    server = await startMockServer({ script: [{ text }] })
    const res = await post(server.url, chatBody({ stream: true }))
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const raw = await res.text()
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true)
    const chunks = chunksOf(raw)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    const contents = chunks.map((c) => c.choices[0]?.delta.content ?? '').filter((c) => c !== '')
    expect(contents.length).toBeGreaterThanOrEqual(3)
    expect(contents.join('')).toBe(text)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.filter((c) => c.choices[0]?.finish_reason !== null)).toHaveLength(1)
    // No usage chunk unless asked for.
    expect(chunks.some((c) => c.usage)).toBe(false)
  })

  it('splits each parallel tool call across chunks, interleaved, id and name only in the first', async () => {
    const args0 = { path: 'src/index.ts', limit: 200 }
    const args1 = '{"command": "ls -la'
    server = await startMockServer({
      script: [
        {
          toolCalls: [
            { id: 'call_a', name: 'read_file', arguments: args0 },
            { id: 'call_b', name: 'bash', arguments: args1 },
          ],
        },
      ],
    })
    const chunks = chunksOf(await (await post(server.url, chatBody({ stream: true }))).text())
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    for (const index of [0, 1]) {
      const mine = deltas.filter((d) => d.index === index)
      expect(mine[0]).toMatchObject({ id: index === 0 ? 'call_a' : 'call_b', type: 'function' })
      expect(mine[0]?.function?.name).toBe(index === 0 ? 'read_file' : 'bash')
      const later = mine.slice(1)
      expect(later.length).toBeGreaterThanOrEqual(3)
      for (const d of later) expect(Object.keys(d).sort()).toEqual(['function', 'index'])
      for (const d of later) expect(Object.keys(d.function ?? {})).toEqual(['arguments'])
    }
    const joined = (index: number) =>
      deltas
        .filter((d) => d.index === index)
        .map((d) => d.function?.arguments ?? '')
        .join('')
    expect(JSON.parse(joined(0))).toEqual(args0)
    // A string is sent verbatim, malformed or not.
    expect(joined(1)).toBe(args1)
    // Interleaved: the index sequence switches back and forth rather than running 0s then 1s.
    const order = deltas.map((d) => d.index)
    expect(order.indexOf(1)).toBeLessThan(order.lastIndexOf(0))
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })

  it('sends a final usage chunk with empty choices when include_usage is set', async () => {
    server = await startMockServer({
      script: [{ text: 'ok', usage: { prompt_tokens: 100, completion_tokens: 5, cached_tokens: 40 } }],
    })
    const res = await post(server.url, chatBody({ stream: true, stream_options: { include_usage: true } }))
    const chunks = chunksOf(await res.text())
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 5,
      total_tokens: 105,
      prompt_tokens_details: { cached_tokens: 40 },
    })
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
  })

  it('estimates usage when the turn does not script it', async () => {
    server = await startMockServer({ script: [{ text: 'x'.repeat(40) }] })
    const chunks = chunksOf(
      await (
        await post(server.url, chatBody({ stream: true, stream_options: { include_usage: true } }))
      ).text(),
    )
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(10)
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBeGreaterThan(0)
  })

  it('holds the rest of a stream after holdAfterChunks until the gate opens', async () => {
    const gate = createGate()
    server = await startMockServer({
      script: [{ text: 'visibly in progress', holdUntil: gate.promise, holdAfterChunks: 2 }],
    })
    const res = await post(server.url, chatBody({ stream: true }))
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    while (parseSse(received.slice(0, received.lastIndexOf('\n\n') + 2)).length < 2) {
      received += decoder.decode((await reader.read()).value, { stream: true })
    }
    // Two chunks came (the role, then text); a full round trip later nothing more has.
    await (await fetch(`${server.url}/models`)).arrayBuffer()
    expect(parseSse(received)).toHaveLength(2)
    gate.open()
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      received += decoder.decode(next.value, { stream: true })
    }
    expect(
      chunksOf(received)
        .map((chunk) => chunk.choices[0]?.delta.content ?? '')
        .join(''),
    ).toBe('visibly in progress')
  })

  it('honours finishReason and waits chunkDelayMs between chunks', async () => {
    const waits: number[] = []
    server = await startMockServer({
      script: [{ text: 'abcdef', finishReason: 'length', chunkDelayMs: 20 }],
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    const chunks = chunksOf(await (await post(server.url, chatBody({ stream: true }))).text())
    expect(waits).toEqual(Array.from({ length: chunks.length - 1 }, () => 20))
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length')
  })
})
