import { ModelConfigError } from '@penguin-ai/llm'
import {
  CycleError,
  DependencyNotDoneError,
  InvalidTransitionError,
  NotFoundError,
  PlanError,
  ValidationError,
} from '@penguin-ai/store'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { MemoryEventHub } from '../src/events/hub.js'
import { formatSse, parseLastEventId } from '../src/events/sse.js'
import { toSnake } from '../src/http/case.js'
import { toHttpError } from '../src/http/errors.js'
import { loggerCallback } from '../src/log.js'
import type { AuthVariables } from '../src/middleware/auth.js'
import { rateLimit } from '../src/middleware/rate-limit.js'
import { isApiUrl } from '../src/serve.js'
import { isLoopback } from '../src/serve-options.js'

describe('MemoryEventHub', () => {
  it('numbers events, replays retained ones after an id, then delivers live ones', () => {
    const hub = new MemoryEventHub(3)
    for (let i = 1; i <= 5; i++) hub.publish('e', { i })
    const seen: number[] = []
    const stop = hub.subscribe(
      () => true,
      (event) => seen.push(event.id),
      3,
    )
    expect(seen).toEqual([4, 5])
    hub.publish('e', {})
    expect(seen).toEqual([4, 5, 6])
    stop()
    hub.publish('e', {})
    expect(seen).toEqual([4, 5, 6])
    expect(hub.subscriberCount).toBe(0)
    // Only the last 3 are retained: resuming from before them, or from an id of an earlier server
    // process, gets one resync (reload the history) instead of a partial replay.
    for (const from of [0, 999]) {
      const replay: string[] = []
      hub.subscribe(
        () => true,
        (event) => replay.push(`${event.event}@${event.id}`),
        from,
      )()
      expect(replay).toEqual(['resync@7'])
    }
    const recent: number[] = []
    hub.subscribe(
      () => true,
      (event) => recent.push(event.id),
      4,
    )()
    expect(recent).toEqual([5, 6, 7])
  })

  it('filters per subscriber and survives a throwing listener', () => {
    const hub = new MemoryEventHub()
    const a: string[] = []
    hub.subscribe(
      () => true,
      () => {
        throw new Error('broken')
      },
    )
    hub.subscribe(
      (event) => event.data.session_id === 'a',
      (event) => a.push(event.event),
    )
    hub.publish('x', { session_id: 'b' })
    hub.publish('y', { session_id: 'a' })
    expect(a).toEqual(['y'])
  })
})

/** An app behind `rateLimit(perMinute, clock)` for one token, answering `GET /` with "ok". */
function limitedApp(perMinute: number, clock: () => number) {
  const app = new Hono<{ Variables: AuthVariables }>()
  app.use('*', async (c, next) => {
    c.set('token', { id: 1, name: 't', prefix: 'pgn_abcd', createdAt: '', lastUsedAt: null, revokedAt: null })
    await next()
  })
  app.use('*', rateLimit(perMinute, clock))
  app.get('/', (c) => c.text('ok'))
  return app
}

describe('helpers', () => {
  it('formats SSE frames and parses Last-Event-ID', () => {
    expect(formatSse({ id: 7, event: 'text.delta', data: { delta: 'a\nb' } })).toBe(
      'id: 7\nevent: text.delta\ndata: {"delta":"a\\nb"}\n\n',
    )
    expect(parseLastEventId('12')).toBe(12)
    expect(parseLastEventId('x')).toBeUndefined()
    expect(parseLastEventId(undefined)).toBeUndefined()
  })

  it('converts records to snake_case deeply', () => {
    expect(
      toSnake({ messageCount: 1, parts: [{ toolCallId: 'x', isError: false }], nested: { costUsd: 1 } }),
    ).toEqual({
      message_count: 1,
      parts: [{ tool_call_id: 'x', is_error: false }],
      nested: { cost_usd: 1 },
    })
  })

  it('maps store and model errors to docs/api.md statuses', () => {
    const status = (error: unknown) => [toHttpError(error).status, toHttpError(error).code]
    expect(status(new NotFoundError('task', 3))).toEqual([404, 'not_found'])
    expect(status(new InvalidTransitionError(1, 'done', 'review', ['pending']))).toEqual([409, 'conflict'])
    expect(status(new CycleError([1, 2, 1]))).toEqual([409, 'conflict'])
    expect(status(new DependencyNotDoneError(1, [{ id: 2, status: 'pending' }]))).toEqual([
      422,
      'unprocessable',
    ])
    expect(status(new PlanError(['bad']))).toEqual([422, 'unprocessable'])
    expect(status(new ModelConfigError('unknown_provider', 'x'))).toEqual([422, 'unprocessable'])
    expect(toHttpError(new ValidationError('budgetUsd must be ≥ 0', 'budgetUsd')).details).toEqual({
      issues: [{ path: 'budget_usd', message: 'budgetUsd must be ≥ 0' }],
    })
    expect(toHttpError(new Error('secret'))).toMatchObject({ status: 500, message: 'internal server error' })
  })

  it('logs failures at error and notes without an error (a run handed back) at warn', () => {
    const lines: Array<[string, Record<string, unknown>, string]> = []
    const at = (level: string) => (record: Record<string, unknown>, message: string) => {
      lines.push([level, record, message])
    }
    const logger = { error: at('error'), warn: at('warn') } as unknown as Parameters<typeof loggerCallback>[0]
    const log = loggerCallback(logger)
    const failure = new Error('boom')
    log('heartbeat failed', failure)
    log('handing run r1 back to the queue', undefined, { runId: 'r1' })
    expect(lines).toEqual([
      ['error', { err: failure }, 'heartbeat failed'],
      ['warn', { run_id: 'r1' }, 'handing run r1 back to the queue'],
    ])
  })

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].some(isLoopback)).toBe(false)
  })

  it('refills the rate-limit bucket over time', async () => {
    let now = 0
    const app = limitedApp(60, () => now)
    for (let i = 0; i < 60; i++) expect((await app.request('/')).status).toBe(200)
    const limited = await app.request('/')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    now += 1_000
    expect((await app.request('/')).status).toBe(200)
  })

  it('a rate under one a minute still lets one request through, then waits its turn', async () => {
    let now = 0
    const app = limitedApp(30 / 60, () => now)
    expect((await app.request('/')).status).toBe(200)
    const limited = await app.request('/')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('120')
    now += 120_000
    expect((await app.request('/')).status).toBe(200)
  })
})

describe('isApiUrl: which requests skip the web UI handler', () => {
  it('the API prefix, the probes and /metrics, with or without a query; nothing else', () => {
    for (const url of [
      'http://127.0.0.1:8787/api/v1/sessions',
      'http://h/api/v1/sessions?limit=5',
      'http://h/api/v1',
      'http://h/healthz',
      'http://h/readyz?x#y',
      'http://h/metrics',
    ])
      expect(isApiUrl(url), url).toBe(true)
    for (const url of [
      'http://h/',
      'http://h/sessions/ses_1',
      'http://h/assets/index.js',
      'http://h/healthz/x',
      'http://h/api/v1x',
      'http://h/%61pi/v1/sessions',
      'http://h',
    ])
      expect(isApiUrl(url), url).toBe(false)
  })
})
