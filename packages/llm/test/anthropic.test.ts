/**
 * The Anthropic Messages adapter over real HTTP, through the official SDK, against the mock's
 * strict Anthropic wire: the request shape, streamed thinking / text / tool use, thinking sent back
 * unchanged, prompt-cache breakpoints and figures, and the error mapping.
 */
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type AssistantMessage,
  assistantMessage,
  type ChatRequest,
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

function claude(s: MockServer): ResolvedModel {
  return resolveModel('anthropic/claude-sonnet-4-5', {
    baseUrl: s.root,
    env: { ANTHROPIC_API_KEY: 'sk-ant-test' },
  })
}

const tools = READ_FILE_TOOLS
const system = LONG_SYSTEM

const body = (index: number) => requestBody(server, index)

async function turn(model: ResolvedModel, messages: Message[], extra: Partial<ChatRequest> = {}) {
  const { events } = await run(model, {
    messages: [{ role: 'system', content: system }, ...messages],
    tools,
    ...extra,
  })
  return { events, done: doneOf(events) }
}

describe('anthropic-messages adapter', () => {
  it('sends the Messages wire: key and version headers, system on top, tools with input_schema', async () => {
    server = await startMockServer({ script: [{ text: 'Hello there, how can I help?' }] })
    const { events, done } = await turn(claude(server), [userMessage('hi')], {
      maxOutputTokens: 500,
      temperature: 0.3,
    })
    const sent = server.requests[0]!
    expect(sent.path).toBe('/v1/messages')
    expect(sent.headers['x-api-key']).toBe('sk-ant-test')
    expect(sent.headers['anthropic-version']).toBe('2023-06-01')
    expect(body(0)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      stream: true,
      temperature: 0.3,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
      tools: [
        {
          ...tools[0],
          input_schema: tools[0]!.parameters,
          parameters: undefined,
          cache_control: { type: 'ephemeral' },
        },
      ].map(({ parameters: _p, ...tool }) => tool),
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
      ],
    })
    expect(streamedText(events)).toBe('Hello there, how can I help?')
    expect(done.message).toEqual(assistantMessage('Hello there, how can I help?'))
    expect(done.stopReason).toBe('stop')
  })

  it('streams thinking, text and tool use; sends thinking back byte for byte with the tool results', async () => {
    server = await startMockServer({
      script: [
        {
          reasoning: 'The user wants a.txt; I should read it.',
          redactedReasoning: true,
          text: 'Reading it.',
          toolCalls: [
            { name: 'read_file', arguments: { path: 'a.txt' } },
            { name: 'read_file', arguments: { path: 'b.txt' } },
          ],
        },
        { reasoning: 'Both read.', text: 'Done.' },
      ],
    })
    const model = claude(server)
    const first = await turn(model, [userMessage('read a.txt and b.txt')], { reasoning: 'low' })
    expect(body(0).thinking).toEqual({ type: 'enabled', budget_tokens: 4096 })
    expect(body(0)).not.toHaveProperty('temperature')
    const reasoningText = first.events
      .flatMap((e) => (e.type === 'reasoning_delta' ? [e.delta] : []))
      .join('')
    expect(reasoningText).toBe('The user wants a.txt; I should read it.')
    const message: AssistantMessage = first.done.message
    expect(message.content.map((b) => b.type)).toEqual([
      'reasoning',
      'reasoning',
      'text',
      'tool_call',
      'tool_call',
    ])
    expect(message.content[0]).toMatchObject({
      type: 'reasoning',
      api: 'anthropic-messages',
      text: reasoningText,
    })
    expect(message.content[1]).toMatchObject({ type: 'reasoning', text: '', redacted: expect.any(String) })
    const calls = toolCallsOf(message)
    expect(calls.map((c) => JSON.parse(c.arguments))).toEqual([{ path: 'a.txt' }, { path: 'b.txt' }])
    expect(first.done.stopReason).toBe('tool_calls')

    const history: Message[] = [
      userMessage('read a.txt and b.txt'),
      message,
      toolResultMessage(calls[0]!, 'A'),
      toolResultMessage(calls[1]!, 'no such file', { isError: true }),
    ]
    const second = await turn(model, history, { reasoning: 'low' })
    expect(textOf(second.done.message)).toBe('Done.')
    const sent = body(1).messages as Array<{ role: string; content: Array<Record<string, unknown>> }>
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    const echoed = first.done.message.content[0] as { text: string; signature: string }
    expect(sent[1]!.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: echoed.text, signature: echoed.signature },
      { type: 'redacted_thinking', data: (message.content[1] as { redacted: string }).redacted },
    ])
    expect(sent[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: calls[0]!.id, content: [{ type: 'text', text: 'A' }] },
      {
        type: 'tool_result',
        tool_use_id: calls[1]!.id,
        content: [{ type: 'text', text: 'no such file' }],
        is_error: true,
        cache_control: { type: 'ephemeral' },
      },
    ])
  })

  it('asks Claude 4.6 and later to think by effort; models that cannot reason are asked nothing', async () => {
    server = await startMockServer({ script: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] })
    const env = { ANTHROPIC_API_KEY: 'k' }
    const opus = resolveModel('anthropic/claude-opus-5', { baseUrl: server.root, env })
    await run(opus, { messages: [userMessage('hi')], reasoning: 'medium' })
    expect(body(0)).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } })
    const haiku = resolveModel('anthropic/claude-3-5-haiku', { baseUrl: server.root, env })
    await run(haiku, { messages: [userMessage('hi')], reasoning: 'high' })
    expect(body(1)).not.toHaveProperty('thinking')
    await run(opus, { messages: [userMessage('hi')], reasoning: 'off' })
    expect(body(2)).not.toHaveProperty('thinking')
  })

  it('uses at most four breakpoints and reads the previous turn from the cache', async () => {
    const script: MockTurn[] = [1, 2, 3].map((n) => ({
      toolCalls: [{ name: 'read_file', arguments: { path: `${n}.txt` } }],
    }))
    server = await startMockServer({ script: [...script, { text: 'All read.' }] })
    const model = claude(server)
    const history: Message[] = [userMessage('read the files')]
    const usages = []
    for (let i = 0; i < 4; i++) {
      const { done } = await turn(model, history)
      usages.push(done.usage)
      history.push(done.message)
      for (const call of toolCallsOf(done.message))
        history.push(toolResultMessage(call, `contents of ${call.id} `.repeat(40)))
    }
    for (let i = 0; i < 4; i++) {
      const raw = server.requests[i]!.rawBody
      expect(raw.split('"cache_control"').length - 1).toBeLessThanOrEqual(4)
    }
    expect(usages[0]!.cacheReadTokens).toBe(0)
    expect(usages[0]!.cacheWriteTokens).toBeGreaterThan(1024)
    for (const usage of usages.slice(1)) {
      expect(usage.cacheReadTokens).toBeGreaterThan(usage.inputTokens * 0.7)
      expect(usage.cacheWriteTokens).toBeGreaterThan(0)
    }
    expect(usages.at(-1)!.inputTokens).toBe(server.requests[3]!.usage!.input)
  })

  it('sends images as base64 image blocks, in prompts and in tool results', async () => {
    server = await startMockServer({ script: [{ text: 'A cat.' }] })
    const image = { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' } as const
    const call = { id: 'toolu_1', name: 'read_file', arguments: '{"path":"cat.png"}' }
    await turn(claude(server), [
      userMessage('what is this?', [image]),
      assistantMessage('', [call]),
      toolResultMessage(call, '', { images: [image] }),
    ])
    const source = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }
    const sent = body(0).messages as Array<{ content: unknown[] }>
    // The prompt is the newest message of the request before (a rolling breakpoint), too.
    expect(sent[0]!.content).toEqual([
      { type: 'text', text: 'what is this?' },
      { type: 'image', source, cache_control: { type: 'ephemeral' } },
    ])
    expect(sent[2]!.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_1',
        content: [{ type: 'image', source }],
        cache_control: { type: 'ephemeral' },
      },
    ])
  })

  it('retries overloaded (529) and rate limits with retry-after; an invalid request is final', async () => {
    server = await startMockServer({
      script: [
        { fault: { status: 529 } },
        { fault: { status: 429, retryAfter: 0.05 } },
        { fault: { streamError: { type: 'overloaded_error' } } },
        { text: 'made it' },
        { fault: { status: 400, message: 'messages.0: bad' } },
      ],
    })
    const model = claude(server)
    const ok = await run(model, { messages: [userMessage('hi')] })
    expect(ok.events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual([
      expect.stringMatching(/anthropic server error \(HTTP 529\): Overloaded/),
      expect.stringMatching(/rate limited by anthropic \(HTTP 429\)/),
      expect.stringMatching(/anthropic server error \(HTTP 529\)/),
    ])
    expect(textOf(doneOf(ok.events).message)).toBe('made it')
    const bad = await run(model, { messages: [userMessage('hi')] })
    const error = errorOf(bad.events)
    expect(error.kind).toBe('bad_request')
    expect(error.message).toContain('messages.0: bad')
    expect(server.requests).toHaveLength(5)
  })

  it('the strict mock refuses a tool_use left without its tool_result, as the API does', async () => {
    server = await startMockServer({ script: [{ text: 'never' }] })
    const call = { id: 'toolu_9', name: 'read_file', arguments: '{}' }
    const { events } = await run(claude(server), {
      messages: [userMessage('go'), assistantMessage('', [call]), userMessage('and?')],
    })
    const error = errorOf(events)
    expect(error.kind).toBe('bad_request')
    expect(error.message).toMatch(
      /tool_use` ids were found without `tool_result` blocks immediately after: toolu_9/,
    )
  })
})
