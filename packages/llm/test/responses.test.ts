/**
 * The OpenAI Responses adapter over real HTTP, through the official SDK, against the mock's strict
 * Responses wire: request shape, streamed reasoning summaries / text / function calls, encrypted
 * reasoning passed back unchanged, function_call outputs, caching figures and failures.
 */
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Message,
  type ResolvedModel,
  resolveModel,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '../src/index.js'
import { doneOf, errorOf, LONG_SYSTEM, READ_FILE_TOOLS, requestBody, run, streamedText } from './helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function gpt(s: MockServer, model = 'gpt-5'): ResolvedModel {
  return resolveModel(`openai/${model}`, {
    baseUrl: s.url,
    api: 'responses',
    env: { OPENAI_API_KEY: 'sk-test' },
  })
}

const tools = READ_FILE_TOOLS
const system = LONG_SYSTEM

const body = (index: number) => requestBody(server, index)

describe('openai-responses adapter', () => {
  it('is the default for openai/* on OpenAI itself; chat elsewhere unless asked', () => {
    const env = { OPENAI_API_KEY: 'sk' }
    expect(resolveModel('openai/gpt-5', { env }).api).toBe('openai-responses')
    expect(resolveModel('gpt-5', { env }).api).toBe('openai-responses')
    expect(resolveModel('openai/gpt-5', { env, baseUrl: 'https://proxy.example/v1' }).api).toBe('openai-chat')
    expect(resolveModel('openai/gpt-5', { env, api: 'chat' }).api).toBe('openai-chat')
    expect(resolveModel('vllm-model', { baseUrl: 'http://vllm/v1', api: 'responses', env: {} }).api).toBe(
      'openai-responses',
    )
  })

  it('asks the o-series for low effort where gpt-5 gets minimal (o3 rejects minimal)', async () => {
    server = await startMockServer({ script: [{ text: 'a' }, { text: 'b' }] })
    await run(gpt(server, 'o3'), { messages: [userMessage('hi')], reasoning: 'minimal' })
    await run(gpt(server), { messages: [userMessage('hi')], reasoning: 'off' })
    expect([body(0).reasoning, body(1).reasoning]).toEqual([
      { effort: 'low', summary: 'auto' },
      { effort: 'minimal', summary: 'auto' },
    ])
  })

  it('sends instructions, flat tools, store:false with encrypted reasoning, the cache key and the effort', async () => {
    server = await startMockServer({
      script: [{ reasoning: 'Simple greeting.', text: 'Hi! What can I do?' }],
    })
    const { events } = await run(gpt(server), {
      messages: [{ role: 'system', content: system }, userMessage('hello')],
      tools,
      reasoning: 'low',
      cacheKey: 'ses_123',
      maxOutputTokens: 2000,
      temperature: 0.2,
    })
    expect(server.requests[0]!.path).toBe('/v1/responses')
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test')
    expect(body(0)).toEqual({
      model: 'gpt-5',
      instructions: system,
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
      tools: [
        {
          type: 'function',
          name: 'read_file',
          description: 'Read a file',
          parameters: tools[0]!.parameters,
          strict: false,
        },
      ],
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low', summary: 'auto' },
      prompt_cache_key: 'ses_123',
      max_output_tokens: 2000,
    })
    expect(streamedText(events)).toBe('Hi! What can I do?')
    const reasoning = events.flatMap((e) => (e.type === 'reasoning_delta' ? [e.delta] : [])).join('')
    expect(reasoning).toBe('Simple greeting.')
    const { message } = doneOf(events)
    expect(message.content).toEqual([
      {
        type: 'reasoning',
        text: 'Simple greeting.',
        api: 'openai-responses',
        id: 'rs_mock_0',
        summary: ['Simple greeting.'],
        encrypted: expect.any(String),
      },
      { type: 'text', text: 'Hi! What can I do?' },
    ])
  })

  it('passes reasoning items back unchanged, with function_call and function_call_output items', async () => {
    server = await startMockServer({
      script: [
        {
          reasoning: 'Need both files.\n\nRead them in parallel.',
          toolCalls: [
            { name: 'read_file', arguments: { path: 'a.txt' } },
            { name: 'read_file', arguments: { path: 'b.png' } },
          ],
        },
        { reasoning: 'Done reading.', text: 'They differ.' },
      ],
    })
    const model = gpt(server)
    const first = await run(model, { messages: [userMessage('compare a and b')], tools, reasoning: 'medium' })
    const reply = doneOf(first.events)
    expect(reply.stopReason).toBe('tool_calls')
    const deltas = first.events.flatMap((e) => (e.type === 'reasoning_delta' ? [e.delta] : [])).join('')
    expect(deltas).toBe('Need both files.\n\nRead them in parallel.')
    const calls = toolCallsOf(reply.message)
    expect(calls.map((c) => c.id)).toEqual(['call_mock_0_0', 'call_mock_0_1'])
    const image = { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' } as const
    const history: Message[] = [
      userMessage('compare a and b'),
      reply.message,
      toolResultMessage(calls[0]!, 'A'),
      toolResultMessage(calls[1]!, '', { images: [image] }),
    ]
    const second = await run(model, { messages: history, tools, reasoning: 'medium' })
    expect(textOf(doneOf(second.events).message)).toBe('They differ.')
    const sent = body(1).input as Array<Record<string, unknown>>
    const reasoning = reply.message.content[0] as { id: string; encrypted: string }
    expect(sent.slice(1)).toEqual([
      {
        type: 'reasoning',
        id: reasoning.id,
        summary: [
          { type: 'summary_text', text: 'Need both files.' },
          { type: 'summary_text', text: 'Read them in parallel.' },
        ],
        encrypted_content: reasoning.encrypted,
      },
      { type: 'function_call', call_id: 'call_mock_0_0', name: 'read_file', arguments: '{"path":"a.txt"}' },
      { type: 'function_call', call_id: 'call_mock_0_1', name: 'read_file', arguments: '{"path":"b.png"}' },
      { type: 'function_call_output', call_id: 'call_mock_0_0', output: 'A' },
      {
        type: 'function_call_output',
        call_id: 'call_mock_0_1',
        output: [{ type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' }],
      },
    ])
  })

  it('reports cached input from the cache the prefix warmed', async () => {
    server = await startMockServer({ script: [{ text: 'one' }, { text: 'two' }] })
    const model = gpt(server, 'gpt-5-mini')
    const messages: Message[] = [{ role: 'system', content: system }, userMessage('first')]
    const first = doneOf((await run(model, { messages, tools })).events)
    expect(first.usage.cacheReadTokens).toBe(0)
    messages.push(first.message, userMessage('second'))
    const second = doneOf((await run(model, { messages, tools })).events)
    expect(second.usage.cacheReadTokens).toBeGreaterThan(1024)
    expect(second.usage.cacheReadTokens % 128).toBe(0)
    expect(second.usage.inputTokens).toBe(server.requests[1]!.usage!.input)
  })

  it('retries a failed stream and a 429; a missing function_call_output is a final bad request', async () => {
    server = await startMockServer({
      script: [
        { fault: { streamError: { type: 'server_error' } } },
        { fault: { status: 429, retryAfter: 0.05 } },
        { text: 'ok' },
      ],
    })
    const model = gpt(server)
    const ok = await run(model, { messages: [userMessage('hi')] })
    expect(ok.events.filter((e) => e.type === 'retry')).toHaveLength(2)
    expect(textOf(doneOf(ok.events).message)).toBe('ok')
    const call = { id: 'call_1', name: 'read_file', arguments: '{}' }
    const bad = await run(model, {
      messages: [
        userMessage('go'),
        { role: 'assistant', content: [{ type: 'tool_call', ...call }] },
        userMessage('?'),
      ],
    })
    const error = errorOf(bad.events)
    expect(error.kind).toBe('bad_request')
    expect(error.message).toMatch(/No tool output found for function call call_1/)
    expect(server.requests).toHaveLength(4)
  })
})
