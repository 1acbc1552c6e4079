/**
 * The server's observability: one trace per prompt (request → run → model and tool calls),
 * `/metrics` as Prometheus text with the OpenTelemetry metrics and the server's gauges, the
 * metrics token, and structured logs — with a planted API key nowhere in any of it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '@penguin-ai/store'
import { createLogger, createTelemetry, type Logger, type Telemetry } from '@penguin-ai/telemetry'
import { type Family, parsePrometheusText, type Sample } from '@penguin-ai/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { createServerApp, MemoryEventHub, ServeConfigError } from '../src/index.js'
import { createProject, createSession, sessionEvents, startTestServer } from './helpers.js'
import { until } from './resources-helpers.js'
import type { SseEvent } from './sse-client.js'

/** Shaped like an OpenAI key, so it is redacted both as a pattern and as the env's literal value. */
const PLANTED = 'sk-planted-Zq8Rk2Lw9Xv4Tn6Pm3Hb'
const MESSAGES_ROUTE = '/api/v1/sessions/:id/messages'

const READ_THEN_ANSWER = [
  { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
  { text: 'It is a sample.' },
]

let telemetry: Telemetry | undefined
afterEach(async () => {
  await telemetry?.shutdown()
  telemetry = undefined
})

/** A telemetry keeping spans in memory (no OTLP) and a logger writing JSON lines into `lines`. */
async function observed(env: Record<string, string>): Promise<{ logger: Logger; lines: string[] }> {
  telemetry = await createTelemetry({ memorySpans: true, otlp: false, captureContent: true, env })
  const lines: string[] = []
  const logger = createLogger({
    level: 'info',
    pretty: false,
    redactor: telemetry.redactor,
    destination: { write: (line) => lines.push(line) },
  })
  return { logger, lines }
}

function sample(family: Family | undefined, labels: Record<string, string>, suffix = ''): Sample | undefined {
  return family?.samples.find(
    (s) =>
      s.name === `${family.name}${suffix}` &&
      Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  )
}

describe('telemetry in the server', () => {
  it('traces a prompt from the request to its model and tool calls, and /metrics counts it all', async () => {
    const env = { OPENAI_API_KEY: PLANTED }
    const { logger, lines } = await observed(env)
    const t = await startTestServer({ script: READ_THEN_ANSWER, env, telemetry, logger, log: undefined })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const posted = await t.api(`/api/v1/sessions/${session.id}/messages`, {
      method: 'POST',
      json: { content: `my key is ${PLANTED}; what is in the README?` },
    })
    expect(posted.status).toBe(202)
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    await sse.collect((event: SseEvent) => event.event === 'run.finished')
    // Probes are polled all day: neither traced nor counted.
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${t.server.url}/readyz`)).status).toBe(200)
    // Scraped while the SSE stream is still open: one subscriber.
    const scrape = await t.api('/metrics')
    sse.close()

    // ---- one trace: POST → invoke_agent → chat ×2 and execute_tool
    const spans = telemetry!.spans()
    const request = spans.find((span) => span.name === `POST ${MESSAGES_ROUTE}`)
    const run = spans.find((span) => span.name === 'invoke_agent penguin')
    expect(request).toMatchObject({
      kind: 'server',
      attributes: {
        'http.request.method': 'POST',
        'http.route': MESSAGES_ROUTE,
        'http.response.status_code': 202,
      },
    })
    expect(run).toMatchObject({
      traceId: request!.traceId,
      parentSpanId: request!.spanId,
      attributes: {
        'gen_ai.conversation.id': session.id,
        'penguin.session.id': session.id,
        'penguin.run.id': runId,
        'penguin.run.status': 'completed',
      },
    })
    const children = spans.filter((span) => span.parentSpanId === run!.spanId).map((span) => span.name)
    expect(children).toEqual(['chat gpt-4o', 'execute_tool read_file', 'chat gpt-4o'])
    expect(spans.filter((span) => span.traceId === request!.traceId)).toHaveLength(5)
    // The prompt is captured on the run span, with the key redacted.
    expect(run!.attributes['penguin.run.prompt']).toMatch(/^my key is \[REDACTED\]/)

    // ---- /metrics: OpenTelemetry metrics and the server's gauges, each family once
    expect(scrape.status).toBe(200)
    expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await scrape.text()
    const families = parsePrometheusText(text)
    const typeLines = text.split('\n').filter((line) => line.startsWith('# TYPE '))
    expect(new Set(typeLines).size).toBe(typeLines.length)
    const duration = families.get('http_server_request_duration')
    expect(duration?.type).toBe('histogram')
    expect(duration?.samples.some((s) => /^\/(healthz|readyz)$/.test(s.labels.http_route ?? ''))).toBe(false)
    expect(spans.some((span) => /healthz|readyz/.test(span.name))).toBe(false)
    expect(
      sample(
        duration,
        { http_request_method: 'POST', http_route: MESSAGES_ROUTE, http_response_status_code: '202' },
        '_count',
      )?.value,
    ).toBe(1)
    const model = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }
    expect(
      sample(families.get('penguin_runs_total'), { penguin_run_status: 'completed', ...model })?.value,
    ).toBe(1)
    expect(
      sample(families.get('penguin_tool_calls_total'), {
        gen_ai_tool_name: 'read_file',
        penguin_tool_outcome: 'ok',
      })?.value,
    ).toBe(1)
    const tokens = families.get('penguin_tokens_total')
    expect(sample(tokens, { ...model, gen_ai_token_type: 'input' })?.value).toBeGreaterThan(0)
    expect(sample(tokens, { ...model, gen_ai_token_type: 'output' })?.value).toBeGreaterThan(0)
    expect(families.get('penguin_runs_active')?.samples[0]?.value).toBe(0)
    expect(families.get('penguin_sse_subscribers')?.samples[0]?.value).toBe(1)
    // The hand-written gauges telemetry does not provide stay.
    expect(families.get('penguin_up')?.samples[0]?.value).toBe(1)
    expect(families.get('penguin_session_runs_active')?.samples[0]?.value).toBe(0)
    expect(families.get('penguin_event_subscribers')?.samples[0]?.value).toBe(1)

    // ---- logs: JSON lines with the run's ids and trace
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(records.find((record) => record.msg === 'penguin server listening')).toMatchObject({
      level: 'info',
      url: t.server.url,
    })
    expect(records.find((record) => record.msg === 'run finished')).toMatchObject({
      level: 'info',
      session_id: session.id,
      run_id: runId,
      status: 'completed',
      trace_id: request!.traceId,
      span_id: run!.spanId,
    })

    // ---- the planted key: nowhere
    for (const produced of [text, lines.join(''), JSON.stringify(telemetry!.spans())]) {
      expect(produced).not.toContain(PLANTED)
    }
  })

  it('traces each project task’s run under the request that started the project run', async () => {
    await observed({})
    const t = await startTestServer({ script: [{ text: 'nothing to do' }], telemetry })
    const project = await createProject(t, { name: 'traced', workspace: t.workspace })
    const task = (await (
      await t.api(`/api/v1/projects/${project.id}/tasks`, { method: 'POST', json: { title: 'Look around' } })
    ).json()) as { id: number }
    const started = await t.api(`/api/v1/projects/${project.id}/run`, {
      method: 'POST',
      json: { auto_approve: true },
    })
    expect(started.status).toBe(202)
    const { project_run_id: projectRunId } = (await started.json()) as { project_run_id: string }
    await until(async () => {
      const current = (await (await t.api(`/api/v1/projects/${project.id}`)).json()) as { running: boolean }
      return !current.running
    })

    const spans = telemetry!.spans()
    const request = spans.find((span) => span.name === 'POST /api/v1/projects/:id/run')
    const run = spans.find((span) => span.name === 'invoke_agent penguin')
    expect(run).toMatchObject({
      traceId: request!.traceId,
      parentSpanId: request!.spanId,
      attributes: {
        'penguin.project.id': project.id,
        'penguin.task.id': task.id,
        'penguin.project_run.id': projectRunId,
        'penguin.run.status': 'completed',
      },
    })
    expect(spans.filter((span) => span.parentSpanId === run!.spanId).map((span) => span.name)).toEqual([
      'chat gpt-4o',
    ])
  })

  it('logs an unexpected error once, with its request, session and trace ids and the key redacted', async () => {
    const { logger, lines } = await observed({})
    const root = mkdtempSync(join(tmpdir(), 'penguin-telemetry-'))
    const store = openStore({ path: ':memory:' })
    try {
      const { app } = createServerApp(
        {
          store: store.async,
          config: { root, auth: false, corsOrigins: [], defaultModel: 'openai/gpt-4o' },
          events: new MemoryEventHub(),
          env: {},
          resolveModel: () => {
            throw new Error(`the provider refused ${PLANTED}`)
          },
        },
        { telemetry, logger },
      )
      const session = store.createSession({ workspace: root })
      const response = await app.request(`/api/v1/sessions/${session.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-telemetry-1' },
        body: JSON.stringify({ content: 'hello' }),
      })
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } })

      const request = telemetry!.spans().find((span) => span.name === `POST ${MESSAGES_ROUTE}`)
      expect(request?.attributes['http.response.status_code']).toBe(500)
      expect(lines).toHaveLength(1)
      const record = JSON.parse(lines[0]!) as Record<string, unknown> & { err: { message: string } }
      expect(record).toMatchObject({
        level: 'error',
        msg: 'unexpected error',
        request_id: 'req-telemetry-1',
        session_id: session.id,
        method: 'POST',
        trace_id: request!.traceId,
        span_id: request!.spanId,
      })
      expect(record.err.message).toBe('the provider refused sk-[REDACTED]')
      expect(lines.join('') + JSON.stringify(telemetry!.spans())).not.toContain(PLANTED)
    } finally {
      store.close()
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('opens /metrics, and only /metrics, to the metrics token; API tokens still work there', async () => {
    const metricsToken = 'scrape-0123456789abcdef'
    const t = await startTestServer({ metricsToken })
    const scraper = { authorization: `Bearer ${metricsToken}` }
    const scraped = await fetch(`${t.server.url}/metrics`, { headers: scraper })
    expect(scraped.status).toBe(200)
    const text = await scraped.text()
    expect(parsePrometheusText(text).get('penguin_up')?.samples[0]?.value).toBe(1)
    expect(text).not.toContain(metricsToken)
    expect((await fetch(`${t.server.url}/api/v1/sessions`, { headers: scraper })).status).toBe(401)
    expect((await fetch(`${t.server.url}/metrics`)).status).toBe(401)
    expect(
      (
        await fetch(`${t.server.url}/metrics`, {
          headers: { authorization: 'Bearer scrape-0123456789abcdeX' },
        })
      ).status,
    ).toBe(401)
    expect((await t.api('/metrics')).status).toBe(200)
    await expect(startTestServer({ metricsToken: 'short' })).rejects.toBeInstanceOf(ServeConfigError)
  })

  it('without telemetry, /metrics is the server’s gauges alone', async () => {
    const t = await startTestServer({ telemetry: false })
    expect(t.server.telemetry).toBeUndefined()
    const families = parsePrometheusText(await (await t.api('/metrics')).text())
    expect(families.get('penguin_session_runs_active')?.samples[0]?.value).toBe(0)
    expect(families.has('http_server_request_duration')).toBe(false)
  })
})
