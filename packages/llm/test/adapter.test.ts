import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, it } from 'vitest'
import {
  assistantMessage,
  type Message,
  makeUsage,
  resolveModel,
  type ToolSpec,
  textBlock,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '../src/index.js'
import { doneOf, mockModel, run, streamedText, userRequest } from './helpers.js'

const mock = useMockLlm()

describe('openai-chat adapter over the real SDK', () => {
  it('streams text as several deltas and assembles the final message', async () => {
    const text = 'Penguins cannot fly, but they swim remarkably well.'
    const server = await mock({ script: [{ text }] })
    const { events, stream } = await run(mockModel(server), userRequest())
    const deltas = events.filter((e) => e.type === 'text_delta')
    expect(deltas.length).toBeGreaterThanOrEqual(3)
    expect(streamedText(events)).toBe(text)
    const done = doneOf(events)
    expect(done.stopReason).toBe('stop')
    expect(done.message).toEqual(assistantMessage(text))
    expect(await stream.result()).toEqual({ message: done.message, usage: done.usage, stopReason: 'stop' })
  })

  it('reassembles a tool call whose arguments arrive in fragments', async () => {
    const args = { path: 'src/main.ts', offset: 10, limit: 50 }
    const server = await mock({
      script: [{ toolCalls: [{ id: 'call_1', name: 'read_file', arguments: args }] }],
    })
    const { events } = await run(mockModel(server), userRequest())
    const start = events.find((e) => e.type === 'tool_call_start')
    expect(start).toEqual({ type: 'tool_call_start', index: 0, id: 'call_1', name: 'read_file' })
    const deltas = events.filter((e) => e.type === 'tool_call_delta')
    expect(deltas.length).toBeGreaterThanOrEqual(2)
    const end = events.find((e) => e.type === 'tool_call_end')
    expect(end).toEqual({
      type: 'tool_call_end',
      index: 0,
      toolCall: { id: 'call_1', name: 'read_file', arguments: JSON.stringify(args) },
    })
    const done = doneOf(events)
    expect(done.stopReason).toBe('tool_calls')
    expect(toolCallsOf(done.message)).toEqual([
      { type: 'tool_call', id: 'call_1', name: 'read_file', arguments: JSON.stringify(args) },
    ])
  })

  it('keeps parallel tool calls apart by index, ends them in order, and passes malformed args through', async () => {
    const server = await mock({
      script: [
        {
          text: 'Let me look.',
          toolCalls: [
            { id: 'a', name: 'list', arguments: { dir: '.' } },
            { id: 'b', name: 'grep', arguments: { pattern: 'TODO', glob: '**/*.ts' } },
            { id: 'c', name: 'bash', arguments: '{"command": "ls' },
          ],
        },
      ],
    })
    const { events } = await run(mockModel(server), userRequest())
    const ends = events.filter((e) => e.type === 'tool_call_end')
    expect(ends.map((e) => e.index)).toEqual([0, 1, 2])
    const done = doneOf(events)
    expect(textOf(done.message)).toBe('Let me look.')
    expect(toolCallsOf(done.message)).toEqual([
      { type: 'tool_call', id: 'a', name: 'list', arguments: '{"dir":"."}' },
      { type: 'tool_call', id: 'b', name: 'grep', arguments: '{"pattern":"TODO","glob":"**/*.ts"}' },
      { type: 'tool_call', id: 'c', name: 'bash', arguments: '{"command": "ls' },
    ])
    // Every delta belongs to a call that was started first.
    const started = new Set<number>()
    for (const e of events) {
      if (e.type === 'tool_call_start') started.add(e.index)
      if (e.type === 'tool_call_delta') expect(started.has(e.index)).toBe(true)
    }
  })

  it('reports usage from the final usage chunk, cached tokens included', async () => {
    const server = await mock({
      script: [{ text: 'ok', usage: { prompt_tokens: 1200, completion_tokens: 34, cached_tokens: 1000 } }],
    })
    const { events } = await run(mockModel(server), userRequest())
    const expected = makeUsage({ input: 1200, output: 34, cacheRead: 1000, total: 1234 })
    expect(events.filter((e) => e.type === 'usage')).toEqual([{ type: 'usage', usage: expected }])
    expect(doneOf(events).usage).toEqual(expected)
    // usage comes after the content and right before done
    expect(events.at(-2)?.type).toBe('usage')
  })

  it('maps finish reasons', async () => {
    const server = await mock({
      script: [
        { text: 'cut', finishReason: 'length' },
        { text: '', finishReason: 'content_filter' },
      ],
    })
    expect(doneOf((await run(mockModel(server), userRequest())).events).stopReason).toBe('length')
    expect(doneOf((await run(mockModel(server), userRequest())).events).stopReason).toBe('content_filter')
  })

  it('sends the request body in the Chat Completions wire format', async () => {
    const server = await mock({ script: [{ text: 'ok' }, { text: 'ok' }] })
    const tools: ToolSpec[] = [
      {
        name: 'read_file',
        description: 'Read a file',
        parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
    ]
    const messages: Message[] = [
      { role: 'system', content: 'You are Penguin.' },
      userMessage('Read a.txt and b.txt'),
      assistantMessage('', [
        { id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
        { id: 'call_2', name: 'read_file', arguments: '{"path": "b.t' },
      ]),
      toolResultMessage({ id: 'call_1', name: 'read_file' }, 'A'),
      toolResultMessage({ id: 'call_2', name: 'read_file' }, 'invalid arguments', { isError: true }),
      // Reasoning has no place in Chat Completions: it is left out.
      {
        role: 'assistant',
        content: [{ type: 'reasoning', text: 'hmm', api: 'openai-chat' }, textBlock('Done.')],
      },
    ]
    const model = mockModel(server, 'sk-test-key')
    await run(model, { messages, tools, temperature: 0.2, maxOutputTokens: 1000 })
    const sent = server.requests[0]
    expect(sent?.headers.authorization).toBe('Bearer sk-test-key')
    expect(sent?.body).toEqual({
      model: 'mock-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 1000,
      tools: [
        {
          type: 'function',
          function: {
            name: 'read_file',
            description: 'Read a file',
            parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'You are Penguin.' },
        { role: 'user', content: 'Read a.txt and b.txt' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'read_file', arguments: '{"path":"a.txt"}' },
            },
            // Malformed historical arguments are replaced so strict endpoints accept the history.
            { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'A' },
        { role: 'tool', tool_call_id: 'call_2', content: 'invalid arguments' },
        { role: 'assistant', content: 'Done.' },
      ],
    })

    // Optional fields are omitted, not sent as null; a keyless endpoint gets a placeholder key.
    await run(mockModel(server), userRequest())
    const plain = server.requests[1]
    expect(Object.keys(plain?.body ?? {}).sort()).toEqual(['messages', 'model', 'stream', 'stream_options'])
    expect(plain?.headers.authorization).toBe('Bearer not-needed')
  })

  it('sends images as image_url parts; images from tool results follow the results in a user message', async () => {
    const server = await mock({ script: [{ text: 'a cat' }] })
    const image = { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' } as const
    const url = 'data:image/png;base64,iVBORw0KGgo='
    const messages: Message[] = [
      userMessage('what is this?', [image]),
      assistantMessage('', [{ id: 'c1', name: 'read_file', arguments: '{"path":"cat.png"}' }]),
      toolResultMessage({ id: 'c1', name: 'read_file' }, '', { images: [image] }),
    ]
    await run(mockModel(server), { messages })
    expect(server.requests[0]?.body?.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"cat.png"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '[1 image(s) attached in the next message]' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Images returned by the tool calls above:' },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ])
  })

  it('uses max_completion_tokens for OpenAI reasoning models', async () => {
    const server = await mock({ script: [{ text: 'ok' }] })
    const model = { ...mockModel(server), provider: 'openai', model: 'gpt-5-mini' }
    await run(model, userRequest('hi', { maxOutputTokens: 64 }))
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-5-mini', max_completion_tokens: 64 })
    expect(server.requests[0]?.body).not.toHaveProperty('max_tokens')
  })

  it('sends reasoning_effort for OpenAI reasoning models only (the o-series gets low for off)', async () => {
    const server = await mock({ script: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] })
    const openai = (name: string) =>
      resolveModel(`openai/${name}`, { baseUrl: server.url, env: { OPENAI_API_KEY: 'sk-test' } })
    await run(openai('gpt-5'), userRequest('hi', { reasoning: 'high' }))
    await run(openai('o3'), userRequest('hi', { reasoning: 'off' }))
    await run(openai('gpt-4o'), userRequest('hi', { reasoning: 'high' }))
    await run(mockModel(server), userRequest('hi', { reasoning: 'high' }))
    expect(server.requests.map((request) => request.body?.reasoning_effort)).toEqual([
      'high',
      'low',
      undefined,
      undefined,
    ])
  })

  it('sends the provider headers', async () => {
    const server = await mock({ script: [{ text: 'ok' }] })
    await run({ ...mockModel(server), headers: { 'X-Title': 'Penguin' } }, userRequest())
    expect(server.requests[0]?.headers['x-title']).toBe('Penguin')
  })
})
