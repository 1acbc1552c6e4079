import type { ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { openStore } from '@penguin-ai/store'
import { afterEach, describe, expect, it } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { runServing } from './serve-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

/** Reads an SSE response until a frame with `event: <type>` has arrived. */
async function waitForEvent(response: Response, type: string): Promise<void> {
  const reader = response.body?.getReader()
  if (!reader) throw new Error('no body')
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes(`event: ${type}\n`)) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`stream ended before ${type}`)
    text += decoder.decode(value, { stream: true })
  }
  await reader.cancel()
}

describe('penguin token', () => {
  it('creates (printing the token once), lists and revokes tokens', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-token-')), 'p.db')
    const created = await runPenguin(['token', 'create', '--name', 'ci', '--db', db])
    expect(created.code).toBe(0)
    const token = created.stdout.trim()
    expect(token).toMatch(/^pgn_[0-9A-Za-z]{32}$/)
    expect(created.stderr).toMatch(/shown only now/)

    const list = await runPenguin(['token', 'list', '--json', '--db', db])
    const tokens = JSON.parse(list.stdout) as { name: string; prefix: string; revokedAt: string | null }[]
    expect(tokens).toEqual([
      expect.objectContaining({ name: 'ci', prefix: token.slice(0, 8), revokedAt: null }),
    ])
    expect(list.stdout).not.toContain(token)
    const table = await runPenguin(['token', 'list', '--db', db])
    expect(table.stdout).toMatch(/ci\s+pgn_\w{4}…\s+.*active/)

    expect((await runPenguin(['token', 'create', '--name', 'ci', '--db', db])).code).toBe(2)
    expect((await runPenguin(['token', 'revoke', 'ci', '--db', db])).code).toBe(0)
    const revoked = JSON.parse((await runPenguin(['token', 'list', '--json', '--db', db])).stdout) as {
      revokedAt: string | null
    }[]
    expect(revoked[0]?.revokedAt).not.toBeNull()
    const unknown = await runPenguin(['token', 'revoke', 'nope', '--db', db])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/token "nope" not found/)
  })
})

describe('penguin serve', () => {
  it('refuses a non-loopback host without auth (exit 2)', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-serve-')), 'p.db')
    const result = await runPenguin(['serve', '--host', '0.0.0.0', '--no-auth', '--port', '0', '--db', db])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without auth/)
  })

  it('provisions PENGUIN_SERVE_TOKEN as an API token, replacing its previous value on restart', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-serve-')), 'p.db')
    const serveWith = async (token: string, check: (url: string) => Promise<void>) => {
      const result = await runServing(
        ['serve', '--port', '0', '--db', db],
        { env: { PENGUIN_SERVE_TOKEN: token } },
        async (url, child) => {
          await check(url)
          child.kill('SIGTERM')
        },
      )
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).not.toMatch(/no API token yet/)
      expect(result.stdout + result.stderr).not.toContain(token)
    }
    const first = 'deployment-secret-000000001'
    const second = 'deployment-secret-000000002'
    const sessions = (url: string, token: string) =>
      fetch(`${url}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
    await serveWith(first, async (url) => {
      expect(await sessions(url, first)).toBe(200)
    })
    await serveWith(second, async (url) => {
      expect(await sessions(url, second)).toBe(200)
      expect(await sessions(url, first)).toBe(401)
    })
    const list = JSON.parse((await runPenguin(['token', 'list', '--json', '--db', db])).stdout) as {
      name: string
    }[]
    expect(list.map((t) => t.name)).toEqual(['PENGUIN_SERVE_TOKEN'])

    const short = await runPenguin(['serve', '--port', '0', '--db', db], {
      env: { PENGUIN_SERVE_TOKEN: 'short' },
    })
    expect(short.code).toBe(2)
    expect(short.stderr).toMatch(/PENGUIN_SERVE_TOKEN\) must be at least 16 characters/)
  })

  it('serves the web UI at /, and on SIGTERM mid-run stops without waiting for the tool, exit 0, with the run stored', async () => {
    // The command would run for ten minutes: the server can only exit within the subprocess bound
    // (100 s) by cutting it short, which is the behaviour under test — no clock needed.
    mock = await startMockServer({
      script: [
        { text: 'Working.', toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 600' } }] },
      ],
    })
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-serve-')), 'p.db')
    const token = (await runPenguin(['token', 'create', '--name', 't', '--db', db])).stdout.trim()
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    let sessionId = ''
    const drive = async (url: string, child: ChildProcess) => {
      // The web UI is served at / without a token (it asks for one); the API still needs it.
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toMatch(/<!doctype html>/i)
      expect((await fetch(`${url}/api/v1/sessions`)).status).toBe(401)
      const created = await fetch(`${url}/api/v1/sessions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ workspace: repo, auto_approve: true }),
      })
      sessionId = ((await created.json()) as { id: string }).id
      const events = await fetch(`${url}/api/v1/sessions/${sessionId}/events`, { headers })
      const posted = await fetch(`${url}/api/v1/sessions/${sessionId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content: 'run the slow thing' }),
      })
      expect(posted.status).toBe(202)
      await waitForEvent(events, 'tool.started')
      child.kill('SIGTERM')
    }
    const result = await runServing(
      [
        'serve',
        '--port',
        '0',
        '--db',
        db,
        '--root',
        repo,
        '--model',
        'openai/gpt-4o',
        '--base-url',
        mock.url,
      ],
      { env: { OPENAI_API_KEY: 'sk-test' } },
      drive,
    )
    expect(result.code, result.stderr).toBe(0)
    const store = openStore({ path: db })
    try {
      const messages = store.listMessages(sessionId)
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool'])
      expect(messages[1]?.parts).toContainEqual(
        expect.objectContaining({ type: 'tool_call', name: 'run_command' }),
      )
    } finally {
      store.close()
    }
  })
})
