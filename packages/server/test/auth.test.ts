import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ServeConfigError, serve } from '../src/index.js'
import { startTestServer, tempDir } from './helpers.js'

describe('auth', () => {
  it('requires a live bearer token everywhere but /healthz and /readyz', async () => {
    const t = await startTestServer()
    const url = `${t.server.url}/api/v1/sessions`
    const none = await fetch(url)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } })
    expect((await fetch(url, { headers: { authorization: 'Bearer pgn_wrongwrongwrong' } })).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: `Basic ${t.token}` } })).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: `Bearer ${t.token}` } })).status).toBe(200)
    expect((await fetch(url, { headers: { authorization: `bearer ${t.token}` } })).status).toBe(200)
    // SSE and the docs need it too; a token in the query counts only for the WebSocket.
    expect((await fetch(`${t.server.url}/api/v1/events`)).status).toBe(401)
    expect((await fetch(`${t.server.url}/api/v1/openapi.json?token=${t.token}`)).status).toBe(401)

    const health = await fetch(`${t.server.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect((await fetch(`${t.server.url}/metrics`)).status).toBe(401)
    const metrics = await fetch(`${t.server.url}/metrics`, {
      headers: { authorization: `Bearer ${t.token}` },
    })
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toMatch(/^penguin_session_runs_active 0$/m)
    const ready = await fetch(`${t.server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
  })

  it('refuses a revoked token', async () => {
    const t = await startTestServer()
    const { token, record } = await t.server.store.createToken('to-revoke')
    const url = `${t.server.url}/api/v1/sessions`
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    await t.server.store.revokeToken(record.id)
    const revoked = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(revoked.status).toBe(401)
    expect(await revoked.json()).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringMatching(/revoked/) },
    })
  })

  it('runs without tokens on loopback with auth off', async () => {
    const t = await startTestServer({ auth: false })
    expect((await fetch(`${t.server.url}/api/v1/sessions`)).status).toBe(200)
  })

  it('refuses to bind a non-loopback address without auth', async () => {
    const home = tempDir()
    await expect(
      serve({
        host: '0.0.0.0',
        port: 0,
        auth: false,
        root: home,
        dbPath: join(home, 'p.db'),
        handleSignals: false,
      }),
    ).rejects.toThrow(ServeConfigError)
    await expect(
      serve({
        host: '192.168.1.20',
        port: 0,
        auth: false,
        root: home,
        dbPath: join(home, 'p.db'),
        handleSignals: false,
      }),
    ).rejects.toThrow(/refusing to serve on 192\.168\.1\.20 without auth/)
  })

  it('answers CORS only for allowed origins, and tags every response with a request id', async () => {
    const t = await startTestServer({ corsOrigins: ['http://ui.example'] })
    const allowed = await t.api('/api/v1/sessions', { headers: { origin: 'http://ui.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://ui.example')
    const other = await t.api('/api/v1/sessions', { headers: { origin: 'http://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${t.server.url}/api/v1/sessions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://ui.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
    expect(allowed.headers.get('x-request-id')).toMatch(/.+/)
    const echoed = await t.api('/api/v1/sessions', { headers: { 'x-request-id': 'abc-123' } })
    expect(echoed.headers.get('x-request-id')).toBe('abc-123')
  })
})
