import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, startTestServer, tempDir } from './helpers.js'

async function errorOf(
  response: Response,
): Promise<{ status: number; code: string; message: string; details?: unknown }> {
  const body = (await response.json()) as { error: { code: string; message: string; details?: unknown } }
  return { status: response.status, ...body.error }
}

describe('error statuses', () => {
  it('400 with the failing field paths, and for malformed JSON', async () => {
    const t = await startTestServer()
    const bad = await errorOf(
      await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: 7, auto_approve: 'yes' } }),
    )
    expect(bad).toMatchObject({ status: 400, code: 'invalid_request' })
    const paths = (bad.details as { issues: { path: string; message: string }[] }).issues.map(
      (issue) => issue.path,
    )
    expect(paths).toEqual(expect.arrayContaining(['workspace', 'auto_approve']))

    const malformed = await t.api('/api/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"workspace": ',
    })
    expect(await errorOf(malformed)).toMatchObject({ status: 400, code: 'invalid_request' })

    const session = await createSession(t)
    const empty = await errorOf(await postMessage(t, session.id, { content: '' }))
    expect(empty).toMatchObject({ status: 400, details: { issues: [{ path: 'content' }] } })
    const query = await errorOf(await t.api('/api/v1/sessions?limit=0'))
    expect(query).toMatchObject({ status: 400, details: { issues: [{ path: 'limit' }] } })
    const reply = await errorOf(
      await t.api('/api/v1/permissions/x', { method: 'POST', json: { reply: 'maybe' } }),
    )
    expect(reply).toMatchObject({ status: 400, details: { issues: [{ path: 'reply' }] } })
  })

  it('403 for a workspace outside the root, even through a symlink', async () => {
    const t = await startTestServer()
    const outside = tempDir()
    expect(
      await errorOf(await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: outside } })),
    ).toMatchObject({
      status: 403,
      code: 'forbidden',
    })
    expect(
      await errorOf(await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: '../..' } })),
    ).toMatchObject({ status: 403 })
    symlinkSync(outside, join(t.root, 'escape'))
    expect(
      await errorOf(await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: 'escape' } })),
    ).toMatchObject({ status: 403 })
    // Inside the root, relative paths are taken from it.
    mkdirSync(join(t.root, 'other'))
    const inside = await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: 'other' } })
    expect(inside.status).toBe(201)
    expect(((await inside.json()) as { workspace: string }).workspace).toBe(join(t.root, 'other'))
    const missing = await errorOf(
      await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: 'nope' } }),
    )
    expect(missing).toMatchObject({ status: 400, details: { issues: [{ path: 'workspace' }] } })
  })

  it('404 for unknown routes and ids', async () => {
    const t = await startTestServer()
    expect(await errorOf(await t.api('/api/v1/nothing-here'))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect(await errorOf(await t.api('/api/v1/sessions/ses_doesnotexist'))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect(await errorOf(await t.api('/api/v1/runs/unknown'))).toMatchObject({ status: 404 })
    expect(await errorOf(await t.api('/api/v1/checkpoints/999/diff'))).toMatchObject({ status: 404 })
    expect(
      await errorOf(
        await t.api('/api/v1/sessions/ses_doesnotexist/messages', { method: 'POST', json: { content: 'x' } }),
      ),
    ).toMatchObject({ status: 404 })
  })

  it('413 for a body over the limit, with or without Content-Length', async () => {
    const t = await startTestServer({ bodyLimit: 1024 })
    const big = 'x'.repeat(4096)
    const sized = await t.api('/api/v1/sessions', { method: 'POST', json: { workspace: big } })
    expect(await errorOf(sized)).toMatchObject({ status: 413, code: 'payload_too_large' })
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 512)))
        controller.close()
      },
    })
    const chunked = await fetch(`${t.server.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(await errorOf(chunked)).toMatchObject({ status: 413, code: 'payload_too_large' })
  })

  it('422 for an unknown provider or a missing API key', async () => {
    // Without --base-url an unknown provider cannot be served by anything.
    const t = await startTestServer({ baseUrl: undefined })
    const unknown = await errorOf(
      await t.api('/api/v1/sessions', {
        method: 'POST',
        json: { workspace: t.workspace, model: 'nosuchprovider/some-model' },
      }),
    )
    expect(unknown).toMatchObject({ status: 422, code: 'unprocessable' })
    expect(unknown.message).toMatch(/nosuchprovider/)
    const keyless = await errorOf(
      await t.api('/api/v1/sessions', {
        method: 'POST',
        json: { workspace: t.workspace, model: 'anthropic/claude-sonnet-4-5' },
      }),
    )
    expect(keyless).toMatchObject({ status: 422, code: 'unprocessable' })
    expect(keyless.message).toMatch(/ANTHROPIC_API_KEY/)
  })

  it('429 with Retry-After past the per-token rate limit', async () => {
    const t = await startTestServer({ rateLimitPerMinute: 5 })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await t.api('/api/v1/sessions')).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    const limited = await t.api('/api/v1/sessions')
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'rate_limited' })
    // Another token has its own budget; health checks are never limited.
    const other = (await t.server.store.createToken('other')).token
    const fresh = await fetch(`${t.server.url}/api/v1/sessions`, {
      headers: { authorization: `Bearer ${other}` },
    })
    expect(fresh.status).toBe(200)
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200)
  })

  it('a rate limit of 0 is no limit at all (trusted networks)', async () => {
    const t = await startTestServer({ rateLimitPerMinute: 0 })
    const responses = await Promise.all(Array.from({ length: 20 }, () => t.api('/api/v1/sessions')))
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200))
    // The limiter is not even mounted: no RateLimit headers, whatever the traffic.
    expect(responses.every((response) => !response.headers.has('ratelimit-limit'))).toBe(true)
    const limited = await startTestServer({ rateLimitPerMinute: 600 })
    expect((await limited.api('/api/v1/sessions')).headers.get('ratelimit-limit')).toBe('600')
  })

  it('500 without internals when something unexpected breaks', async () => {
    const t = await startTestServer()
    const session = await createSession(t)
    // Sabotage the store under the server: the failure must not leak.
    const original = t.server.store.listMessages
    t.server.store.listMessages = () => {
      throw new Error('SECRET internal detail at /very/private/path.ts:12')
    }
    const response = await t.api(`/api/v1/sessions/${session.id}/messages`)
    t.server.store.listMessages = original
    const text = await response.text()
    expect(response.status).toBe(500)
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal server error' } })
    expect(text).not.toMatch(/SECRET|private|\.ts/)
  })
})
