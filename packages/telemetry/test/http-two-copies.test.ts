/**
 * Two copies of hono installed side by side (a library user's app next to Penguin's, npm's nested
 * layouts): the middleware must work with a context made by either. It once read hono internals
 * through its own copy, and every request through an app made by the other copy answered 500.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Context, Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { httpTelemetry, metricsHandler, type Telemetry } from '../src/index.js'
import { testTelemetry } from './helpers.js'

type HonoModule = { Hono: typeof Hono }
type RouteModule = { matchedRoutes: (c: Context) => { method: string; path: string }[] }

let copyRoot: string
let other: { hono: HonoModule; route: RouteModule }
let telemetry: Telemetry | undefined

/** The hono package directory this workspace resolves (its entry is `<root>/dist/cjs/index.js`). */
function honoPackageDir(): string {
  const entry = createRequire(import.meta.url).resolve('hono')
  return dirname(dirname(dirname(entry)))
}

beforeAll(async () => {
  // A real second copy: the same files at another path are another module graph, with their own
  // module-private symbols, exactly what a second install is.
  copyRoot = mkdtempSync(join(tmpdir(), 'penguin-hono-copy-'))
  const copy = join(copyRoot, 'node_modules', 'hono')
  cpSync(honoPackageDir(), copy, { recursive: true, dereference: true })
  other = {
    hono: (await import(pathToFileURL(join(copy, 'dist', 'index.js')).href)) as HonoModule,
    route: (await import(
      pathToFileURL(join(copy, 'dist', 'helper', 'route', 'index.js')).href
    )) as RouteModule,
  }
  const ours = (await import('hono')) as HonoModule
  expect(other.hono.Hono).not.toBe(ours.Hono)
})

afterAll(() => {
  if (copyRoot) rmSync(copyRoot, { recursive: true, force: true })
})

afterEach(async () => {
  await telemetry?.shutdown()
  telemetry = undefined
})

describe('an app made by another copy of hono', () => {
  test('requests answer as the app says, and spans name the route the app reports', async () => {
    telemetry = (await testTelemetry()).telemetry
    const app = new other.hono.Hono()
    const route = (c: Context) => other.route.matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path
    app.use('*', httpTelemetry(telemetry, { route }))
    app.get('/api/v1/sessions/:id', (c) => c.json({ id: c.req.param('id') }))
    app.get('/metrics', metricsHandler(telemetry))

    const response = await app.request('/api/v1/sessions/ses_1')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: 'ses_1' })
    const metrics = await app.request('/metrics')
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('http_server_request_duration')

    const [span] = telemetry.spans()
    expect(span!.name).toBe('GET /api/v1/sessions/:id')
    expect(span!.attributes).toMatchObject({
      'http.route': '/api/v1/sessions/:id',
      'http.response.status_code': 200,
    })
  })

  test('without a route reader, or with one that throws, requests still answer', async () => {
    telemetry = (await testTelemetry()).telemetry
    const app = new other.hono.Hono()
    app.use(
      '/broken/*',
      httpTelemetry(telemetry, {
        route: () => {
          throw new TypeError('cannot read the router')
        },
      }),
    )
    app.use('/plain/*', httpTelemetry(telemetry))
    app.get('/broken/:id', (c) => c.text('ok'))
    app.get('/plain/:id', (c) => c.text('ok'))

    expect((await app.request('/broken/1')).status).toBe(200)
    expect((await app.request('/plain/1')).status).toBe(200)
    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual(['GET', 'GET'])
    for (const span of spans) {
      expect(span.attributes['http.route']).toBeUndefined()
      expect(span.attributes['http.response.status_code']).toBe(200)
    }
  })
})
