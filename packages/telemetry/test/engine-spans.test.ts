/**
 * A real run (the engine, the real streamChat and openai SDK, the mock model over HTTP) produces
 * the expected span tree and metric values.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ROOT_CONTEXT, trace } from '@opentelemetry/api'
import { Engine } from '@penguin-ai/engine'
import { resolveModel } from '@penguin-ai/llm'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { openWorkspace } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { instrumentEngine, METRICS, type SpanJson, type Telemetry } from '../src/index.js'
import { histogramCount, metricSum, tempDir, testTelemetry } from './helpers.js'

let server: MockServer | undefined
let telemetry: Telemetry | undefined
afterEach(async () => {
  await server?.close()
  await telemetry?.shutdown()
  server = undefined
  telemetry = undefined
})

async function engineAgainst(script: MockTurn[]): Promise<Engine> {
  server = await startMockServer({ script })
  const dir = await tempDir()
  await writeFile(join(dir, 'notes.txt'), 'hello from notes\n')
  return new Engine({
    model: resolveModel('openai/gpt-4o', {
      baseUrl: server.url,
      env: { OPENAI_API_KEY: 'sk-test-abcdef123' },
    }),
    workspace: await openWorkspace(dir),
    systemPrompt: 'You are a test.',
    callOptions: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 1 } },
  })
}

const SCRIPT: MockTurn[] = [
  {
    text: 'Let me look.',
    toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }],
    usage: { prompt_tokens: 100, completion_tokens: 10 },
  },
  {
    toolCalls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }],
    usage: { prompt_tokens: 150, completion_tokens: 12 },
  },
  { text: 'Done.', usage: { prompt_tokens: 200, completion_tokens: 5 } },
]

function childrenOf(spans: SpanJson[], parent: SpanJson): SpanJson[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId)
}

describe('instrumentEngine', () => {
  test('a run becomes a run span with model-call and tool-call children carrying GenAI attributes', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const engine = await engineAgainst(SCRIPT)
    const stop = instrumentEngine(engine, telemetry, { attributes: { 'gen_ai.conversation.id': 'ses_test' } })
    const result = await engine.run('read the notes')
    stop()
    expect(result.status).toBe('completed')

    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual([
      'invoke_agent penguin',
      'chat gpt-4o',
      'execute_tool read_file',
      'chat gpt-4o',
      'execute_tool read_file',
      'chat gpt-4o',
    ])
    const run = spans[0]!
    expect(run.parentSpanId).toBeUndefined()
    expect(run.kind).toBe('internal')
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.conversation.id': 'ses_test',
      'penguin.model': 'openai/gpt-4o',
      'penguin.run.id': expect.any(String),
      'penguin.run.status': 'completed',
      'penguin.run.iterations': 3,
      'gen_ai.usage.input_tokens': 450,
      'gen_ai.usage.output_tokens': 27,
    })
    expect(run.attributes['penguin.run.prompt']).toBeUndefined() // content capture is off by default
    expect(childrenOf(spans, run)).toHaveLength(5)
    for (const span of spans.slice(1)) expect(span.traceId).toBe(run.traceId)

    const calls = spans.filter((span) => span.name.startsWith('chat'))
    expect(calls.map((call) => call.kind)).toEqual(['client', 'client', 'client'])
    expect(calls.map((call) => call.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_calls'],
      ['tool_calls'],
      ['stop'],
    ])
    expect(calls.map((call) => call.attributes['gen_ai.usage.input_tokens'])).toEqual([100, 150, 200])
    expect(calls.map((call) => call.attributes['gen_ai.usage.output_tokens'])).toEqual([10, 12, 5])
    expect(calls[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'server.address': '127.0.0.1',
      'penguin.turn': 1,
    })
    expect(calls[0]!.attributes['penguin.cost.usd']).toBeGreaterThan(0)

    const tools = spans.filter((span) => span.name.startsWith('execute_tool'))
    expect(tools.map((tool) => tool.attributes['penguin.tool.outcome'])).toEqual(['ok', 'error'])
    expect(tools[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'read_file',
      'gen_ai.tool.call.id': expect.any(String),
    })
    expect(tools[0]!.attributes['penguin.tool.duration_ms']).toBeGreaterThanOrEqual(0)
    expect(tools[0]!.status.code).toBe('unset')
    expect(tools[1]!.status).toMatchObject({ code: 'error', message: expect.stringMatching(/missing\.txt/) })
    // Each tool span sits between the call that asked for it and the next call.
    expect(Date.parse(tools[0]!.startTime)).toBeGreaterThanOrEqual(Date.parse(calls[0]!.endTime))
    expect(Date.parse(calls[1]!.startTime)).toBeGreaterThanOrEqual(Date.parse(tools[0]!.endTime))

    const reader = setup.reader
    expect(await metricSum(reader, METRICS.runs, { 'penguin.run.status': 'completed' })).toBe(1)
    expect(await metricSum(reader, METRICS.activeRuns)).toBe(0)
    expect(
      await metricSum(reader, METRICS.toolCalls, {
        'gen_ai.tool.name': 'read_file',
        'penguin.tool.outcome': 'ok',
      }),
    ).toBe(1)
    expect(await metricSum(reader, METRICS.toolCalls, { 'penguin.tool.outcome': 'error' })).toBe(1)
    expect(
      await metricSum(reader, METRICS.tokens, {
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.token.type': 'input',
      }),
    ).toBe(450)
    expect(await metricSum(reader, METRICS.tokens, { 'gen_ai.token.type': 'output' })).toBe(27)
    expect(await metricSum(reader, METRICS.cost, { 'gen_ai.request.model': 'gpt-4o' })).toBeCloseTo(
      result.cost,
    )
    expect(await histogramCount(reader, METRICS.modelCallDuration, { 'gen_ai.operation.name': 'chat' })).toBe(
      3,
    )
    expect(await histogramCount(reader, METRICS.runDuration)).toBe(1)
  })

  test('a failed model call marks the call and the run as errors', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const engine = await engineAgainst([{ fault: { status: 401, message: 'Incorrect API key provided' } }])
    instrumentEngine(engine, telemetry)
    const result = await engine.run('hello')
    expect(result.status).toBe('failed')
    const [run, call] = telemetry.spans()
    expect(call!.name).toBe('chat gpt-4o')
    expect(call!.status.code).toBe('error')
    expect(call!.attributes['error.type']).toBe('auth')
    expect(run!.status).toMatchObject({
      code: 'error',
      message: expect.stringMatching(/rejected the API key/),
    })
    expect(run!.attributes).toMatchObject({ 'error.type': 'auth', 'penguin.run.status': 'failed' })
    expect(await metricSum(setup.reader, METRICS.runs, { 'penguin.run.status': 'failed' })).toBe(1)
    expect(await histogramCount(setup.reader, METRICS.modelCallDuration, { 'error.type': 'auth' })).toBe(1)
  })

  test('the run span can be the child of a given context, e.g. an HTTP request span', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const engine = await engineAgainst([{ text: 'Hi.' }])
    const request = telemetry.tracer.startSpan('GET /x')
    instrumentEngine(engine, telemetry, { parentContext: trace.setSpan(ROOT_CONTEXT, request) })
    await engine.run('hello')
    request.end()
    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual(['GET /x', 'invoke_agent penguin', 'chat gpt-4o'])
    expect(spans[1]!.parentSpanId).toBe(spans[0]!.spanId)
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1)
  })

  test('with content capture, prompts and tool input and output are recorded, redacted', async () => {
    const setup = await testTelemetry({
      captureContent: true,
      env: { MY_SERVICE_TOKEN: 'tok-literal-998877' },
    })
    telemetry = setup.telemetry
    const engine = await engineAgainst([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt', note: 'Bearer abcdef123456' } }] },
      { text: 'Done.' },
    ])
    instrumentEngine(engine, telemetry)
    await engine.run('use sk-live-0123456789abcdef and tok-literal-998877 please')
    const text = JSON.stringify(telemetry.spans())
    expect(text).toContain('penguin.run.prompt')
    expect(text).toContain('gen_ai.tool.call.arguments')
    expect(text).toContain('hello from notes')
    expect(text).not.toContain('sk-live-0123456789abcdef')
    expect(text).not.toContain('tok-literal-998877')
    expect(text).not.toContain('abcdef123456')
  })

  test('prompt-cache reads and writes are on the model-call spans and the run span', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    server = await startMockServer({
      script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] }, { text: 'Done.' }],
    })
    const dir = await tempDir()
    await writeFile(join(dir, 'notes.txt'), 'hello from notes\n')
    const engine = new Engine({
      model: resolveModel('anthropic/claude-sonnet-4-5', {
        baseUrl: server.root,
        env: { ANTHROPIC_API_KEY: 'sk-ant-test' },
      }),
      workspace: await openWorkspace(dir),
      // Long enough for Anthropic's minimum cacheable prefix (1,024 tokens).
      systemPrompt: `You are a test. ${'Be brief. '.repeat(600)}`,
      callOptions: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalDelayMs: 1 } },
    })
    const stop = instrumentEngine(engine, telemetry)
    const result = await engine.run('read the notes')
    stop()
    expect(result.status).toBe('completed')
    const [first, second] = server.requests.map((request) => request.usage!)
    expect(first!.cacheWrite).toBeGreaterThan(0)
    expect(second!.cacheRead).toBeGreaterThan(0)

    const spans = telemetry.spans()
    const calls = spans.filter((span) => span.name.startsWith('chat '))
    expect(calls[0]!.attributes).toMatchObject({
      'gen_ai.usage.cache_creation.input_tokens': first!.cacheWrite,
    })
    expect(calls[0]!.attributes).not.toHaveProperty('gen_ai.usage.cache_read.input_tokens')
    expect(calls[1]!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': second!.input,
      'gen_ai.usage.cache_read.input_tokens': second!.cacheRead,
    })
    expect(spans[0]!.attributes).toMatchObject({
      'gen_ai.usage.cache_read.input_tokens': result.usage.cacheReadTokens,
      'gen_ai.usage.cache_creation.input_tokens': result.usage.cacheWriteTokens,
    })
  })
})
