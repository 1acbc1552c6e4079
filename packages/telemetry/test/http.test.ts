/** The server side: the hono middleware, `/metrics` as Prometheus text, request → run → calls traces. */

import { parsePrometheusText } from '@penguin-ai/testkit'
import { type Context, Hono } from 'hono'
import { matchedRoutes } from 'hono/route'
import { afterEach, describe, expect, test } from 'vitest'
import {
  httpTelemetry,
  instrumentEngine,
  METRICS,
  metricsHandler,
  PROMETHEUS_CONTENT_TYPE,
  type Telemetry,
} from '../src/index.js'
import { histogramCount, manualSource, testTelemetry } from './helpers.js'

let telemetry: Telemetry | undefined
afterEach(async () => {
  await telemetry?.shutdown()
  telemetry = undefined
})

function play(source: ReturnType<typeof manualSource>) {
  const runId = 'run-http'
  const at = Date.now()
  const events = [
    { type: 'run.started', model: 'openai/gpt-4o', workspace: '/w', prompt: 'p' },
    { type: 'turn.started', iteration: 1 },
    {
      type: 'usage',
      usage: {
        inputTokens: 12,
        outputTokens: 3,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 15,
      },
      total: {
        inputTokens: 12,
        outputTokens: 3,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 15,
      },
      cost: 0.002,
      totalCost: 0.002,
    },
    { type: 'tool.started', callId: 'c1', tool: 'grep', args: { pattern: 'x' }, title: '/x/ in .' },
    {
      type: 'tool.finished',
      callId: 'c1',
      tool: 'grep',
      isError: false,
      output: 'none',
      details: { kind: 'search', summary: '/x/ in . (0 matches)', query: 'x', matches: 0, truncated: false },
      durationMs: 1,
    },
    { type: 'turn.started', iteration: 2 },
    {
      type: 'usage',
      usage: {
        inputTokens: 20,
        outputTokens: 4,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 24,
      },
      total: {
        inputTokens: 32,
        outputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 39,
      },
      cost: 0.003,
      totalCost: 0.005,
    },
    {
      type: 'run.finished',
      status: 'completed',
      text: 'ok',
      usage: {
        inputTokens: 32,
        outputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 39,
      },
      cost: 0.005,
      iterations: 2,
      durationMs: 5,
    },
  ]
  for (const event of events) source.emit({ ...event, runId, time: at } as never)
}

/** The app's own router names the route: the last matched one that is not a middleware. */
function routeOf(c: Context): string | undefined {
  return matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path
}

function app(t: Telemetry, source = manualSource()): Hono {
  const server = new Hono()
  server.use('*', httpTelemetry(t, { route: routeOf }))
  instrumentEngine(source, t)
  server.post('/api/v1/sessions/:id/messages', async (c) => {
    // The run starts inside the request: its span becomes the request span's child.
    await Promise.resolve()
    play(source)
    return c.json({ run_id: 'run-http' }, 202)
  })
  server.get('/boom', () => {
    throw new Error('kaput Bearer secret-token-123')
  })
  server.onError((_error, c) => c.json({ error: { code: 'internal' } }, 500))
  server.get('/metrics', metricsHandler(t))
  server.get('/private-metrics', metricsHandler(t, { token: 'scrape-me-please' }))
  return server
}

describe('httpTelemetry', () => {
  test('with no exporter it makes no spans, yet still counts every request for /metrics', async () => {
    const setup = await testTelemetry({ memorySpans: false })
    telemetry = setup.telemetry
    expect(telemetry.tracing).toBe(false)
    // The tracer hands out no-op spans: nothing is recorded, whoever asks.
    expect(telemetry.tracer.startSpan('anything').isRecording()).toBe(false)
    const server = app(telemetry)
    expect((await server.request('/api/v1/sessions/ses_1/messages', { method: 'POST' })).status).toBe(202)
    expect((await server.request('/boom')).status).toBe(500)
    expect(telemetry.spans()).toEqual([])
    expect(
      await histogramCount(setup.reader, METRICS.httpDuration, {
        'http.route': '/api/v1/sessions/:id/messages',
        'http.response.status_code': 202,
      }),
    ).toBe(1)
    expect(
      await histogramCount(setup.reader, METRICS.httpDuration, {
        'http.route': '/boom',
        'http.response.status_code': 500,
      }),
    ).toBe(1)
  })

  test('one trace shows the request, the run it started, and the run’s model and tool calls', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const response = await app(telemetry).request('/api/v1/sessions/ses_1/messages', {
      method: 'POST',
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    })
    expect(response.status).toBe(202)
    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual([
      'POST /api/v1/sessions/:id/messages',
      'invoke_agent penguin',
      'chat gpt-4o',
      'execute_tool grep',
      'chat gpt-4o',
    ])
    const [request, run] = spans
    expect(request!.kind).toBe('server')
    expect(request!.traceId).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(request!.parentSpanId).toBe('b7ad6b7169203331')
    expect(request!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/v1/sessions/:id/messages',
      'http.response.status_code': 202,
      'url.path': '/api/v1/sessions/ses_1/messages',
    })
    expect(run!.parentSpanId).toBe(request!.spanId)
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1)
    expect(
      await histogramCount(setup.reader, METRICS.httpDuration, {
        'http.route': '/api/v1/sessions/:id/messages',
        'http.response.status_code': 202,
      }),
    ).toBe(1)
  })

  test('errors and unknown routes: status recorded, no raw path as a label, messages redacted', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const server = app(telemetry)
    expect((await server.request('/boom')).status).toBe(500)
    expect((await server.request('/nope/123')).status).toBe(404)
    const [boom, missing] = telemetry.spans()
    expect(boom!.attributes).toMatchObject({ 'http.route': '/boom', 'http.response.status_code': 500 })
    expect(boom!.status.code).toBe('error')
    expect(missing!.name).toBe('GET')
    expect(missing!.attributes['http.route']).toBeUndefined()
    expect(boom!.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.message': 'kaput Bearer [REDACTED]' },
    })
    expect(JSON.stringify(telemetry.spans())).not.toContain('secret-token-123')
    expect(
      await histogramCount(setup.reader, METRICS.httpDuration, { 'http.response.status_code': 404 }),
    ).toBe(1)
  })
})

describe('GET /metrics', () => {
  test('serves Prometheus text 0.0.4 that parses and names every Penguin metric', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const server = app(telemetry)
    let subscribers = 3
    telemetry.observeSseSubscribers(() => subscribers)
    await server.request('/api/v1/sessions/ses_1/messages', { method: 'POST' })
    subscribers = 5
    const response = await server.request('/metrics')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE)
    const text = await response.text()
    const families = parsePrometheusText(text)
    expect(families.get('penguin_runs_total')?.type).toBe('counter')
    expect(families.get('penguin_tool_calls_total')?.type).toBe('counter')
    expect(families.get('penguin_tokens_total')?.type).toBe('counter')
    expect(families.get('penguin_cost_usd_total')?.type).toBe('counter')
    expect(families.get('gen_ai_client_operation_duration')?.type).toBe('histogram')
    expect(families.get('http_server_request_duration')?.type).toBe('histogram')
    expect(families.get('penguin_runs_active')?.type).toBe('gauge')
    expect(families.get('penguin_sse_subscribers')?.samples[0]?.value).toBe(5)
    const runs = families.get('penguin_runs_total')!.samples
    expect(runs).toEqual([
      {
        name: 'penguin_runs_total',
        labels: {
          penguin_run_status: 'completed',
          gen_ai_provider_name: 'openai',
          gen_ai_request_model: 'gpt-4o',
        },
        value: 1,
      },
    ])
    const tokens = families.get('penguin_tokens_total')!.samples
    expect(tokens.find((s) => s.labels.gen_ai_token_type === 'input')?.value).toBe(32)
    expect(
      families.get('gen_ai_client_operation_duration')!.samples.find((s) => s.name.endsWith('_count'))?.value,
    ).toBe(2)
  })

  test('with a token, scrapes need it', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const server = app(telemetry)
    expect((await server.request('/private-metrics')).status).toBe(401)
    const wrong = await server.request('/private-metrics', { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const right = await server.request('/private-metrics', {
      headers: { authorization: 'Bearer scrape-me-please' },
    })
    expect(right.status).toBe(200)
    const text = await right.text()
    expect(() => parsePrometheusText(text)).not.toThrow()
  })
})
