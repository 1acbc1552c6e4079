import { describe, expect, it } from 'vitest'
import { startTestServer } from './helpers.js'
import { rawRequest, rawWebSocket } from './raw-client.js'

// Under --no-auth, a web page the user visits could make the browser create a project whose verify
// command is any shell, and start it; a rebound DNS name even let it read the answers.

const port = (url: string) => new URL(url).port

describe('cross-site requests', () => {
  it('a page cannot create and run a project with a simple (preflight-free) request', async () => {
    const t = await startTestServer({ auth: false })
    const body = JSON.stringify({ name: 'pwn', workspace: t.workspace })
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const reply = await rawRequest(t.server.url, {
        method: 'POST',
        path: '/api/v1/projects',
        headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) },
        body,
      })
      expect(reply.status, type).toBe(415)
      expect(reply.body.error.code).toBe('unsupported_media_type')
    }
    // A body without any Content-Type is refused too; JSON is what the API speaks.
    const untyped = await rawRequest(t.server.url, {
      method: 'POST',
      path: '/api/v1/projects',
      headers: { 'Content-Length': String(Buffer.byteLength(body)) },
      body,
    })
    expect(untyped.status).toBe(415)
    expect(await t.server.store.listProjects()).toEqual([])
  })

  it('refuses a foreign Origin, even with JSON, and accepts its own and --cors-origin ones', async () => {
    const t = await startTestServer({ auth: false, corsOrigins: ['https://ui.example.com'] })
    const json = JSON.stringify({ name: 'p' })
    const post = (origin: string | undefined) =>
      rawRequest(t.server.url, {
        method: 'POST',
        path: '/api/v1/projects',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(json.length),
          ...(origin ? { Origin: origin } : {}),
        },
        body: json,
      })
    const foreign = await post('https://evil.example')
    expect(foreign.status).toBe(403)
    expect(foreign.body.error.message).toMatch(/origin "https:\/\/evil\.example" are not allowed/)
    expect((await post('null')).status).toBe(403)
    // A GET (an EventSource, an <img>) from elsewhere is refused as well.
    const read = await rawRequest(t.server.url, {
      path: '/api/v1/sessions',
      headers: { Origin: 'https://evil.example' },
    })
    expect(read.status).toBe(403)
    expect(await t.server.store.listProjects()).toEqual([])

    expect((await post(t.server.url)).status).toBe(201)
    const cors = await post('https://ui.example.com')
    expect(cors.status).toBe(409) // allowed through: the name is taken by the project just created
    expect((await post(undefined)).status).toBe(409)
  })

  it('refuses a Host header that does not name the server (DNS rebinding)', async () => {
    const t = await startTestServer({ auth: false, publicHosts: ['penguin.example.com'] })
    const get = (host: string) =>
      rawRequest(t.server.url, { path: '/api/v1/sessions', headers: { Host: host } })
    const rebound = await get(`evil.example:${port(t.server.url)}`)
    expect(rebound.status).toBe(403)
    expect(rebound.body.error.message).toMatch(/--public-host evil\.example/)
    expect((await get(`attacker.127.0.0.1.nip.io:${port(t.server.url)}`)).status).toBe(403)
    for (const host of [
      `127.0.0.1:${port(t.server.url)}`,
      `localhost:${port(t.server.url)}`,
      `app.localhost:${port(t.server.url)}`,
      `[::1]:${port(t.server.url)}`,
      'penguin.example.com',
      'PENGUIN.example.com:443',
    ])
      expect((await get(host)).status, host).toBe(200)
    // Probes answer whatever the Host (orchestrators use the pod's address).
    expect(
      (await rawRequest(t.server.url, { path: '/healthz', headers: { Host: '10.0.0.7:8787' } })).status,
    ).toBe(200)
  })

  it('applies the same checks to WebSocket upgrades', async () => {
    const t = await startTestServer({ auth: false })
    const foreign = rawWebSocket(t.server.url, '/api/v1/ws', { Origin: 'https://evil.example' })
    expect(await foreign.handshake).toMatch(/^HTTP\/1\.1 403/)
    const rebound = rawWebSocket(t.server.url, '/api/v1/ws', { Host: `evil.example:${port(t.server.url)}` })
    expect(await rebound.handshake).toMatch(/^HTTP\/1\.1 403/)
    const own = rawWebSocket(t.server.url, '/api/v1/ws', { Origin: t.server.url })
    expect(await own.handshake).toMatch(/^HTTP\/1\.1 101/)
    own.socket.destroy()
  })
})
