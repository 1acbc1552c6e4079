/**
 * `penguin serve --database postgres://…` through the real CLI: sessions, runs and projects over
 * HTTP land in PostgreSQL (a private cluster for this file), and no SQLite file is made; `penguin token`
 * and `penguin stats` work on the same database.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { openPostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { afterEach, describe, expect, it } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { runServing, serveArgs } from './serve-helpers.js'

const postgres = usePostgresCluster()
let mock: MockServer | undefined

afterEach(async () => {
  await mock?.close()
  mock = undefined
})

const database = (): Promise<string> => postgres.database('serve')

/** Reads an SSE response until a frame of `type` whose data matches `match` has arrived. */
async function waitForEvent(response: Response, type: string, match = ''): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) throw new Error('no body')
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const frames = text.split('\n\n')
    const found = frames.find((frame) => frame.includes(`event: ${type}\n`) && frame.includes(match))
    if (found) {
      await reader.cancel()
      return found
    }
    const { done, value } = await reader.read()
    if (done) throw new Error(`stream ended before ${type}`)
    text += decoder.decode(value, { stream: true })
  }
}

describe('penguin serve --database', () => {
  it('keeps sessions, runs and projects in PostgreSQL (PENGUIN_DATABASE_URL too)', async () => {
    mock = await startMockServer({
      script: [{ text: 'Hello from Postgres.' }, { text: 'Task done.' }],
    })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const home = await mkdtemp(join(tmpdir(), 'penguin-pg-home-'))
    const json = { 'content-type': 'application/json' }
    let sessionId = ''
    let projectId = 0
    const drive = async (base: string, child: ChildProcess) => {
      const api = (path: string, init: RequestInit = {}) => fetch(`${base}/api/v1${path}`, init)
      const post = (path: string, body: unknown) =>
        api(path, { method: 'POST', headers: json, body: JSON.stringify(body) })
      const created = await post('/sessions', { workspace: repo })
      expect(created.status).toBe(201)
      sessionId = ((await created.json()) as { id: string }).id
      const events = await api(`/sessions/${sessionId}/events`)
      expect((await post(`/sessions/${sessionId}/messages`, { content: 'say hello' })).status).toBe(202)
      await waitForEvent(events, 'run.finished')
      const messages = (await (await api(`/sessions/${sessionId}/messages`)).json()) as {
        items: { role: string }[]
      }
      expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant'])

      const project = (await (await post('/projects', { name: 'pg', workspace: repo })).json()) as {
        id: number
      }
      projectId = project.id
      expect((await post(`/projects/${projectId}/tasks`, { title: 'Do it' })).status).toBe(201)
      const projectEvents = await api('/events')
      expect((await post(`/projects/${projectId}/run`, { auto_approve: true })).status).toBe(202)
      await waitForEvent(projectEvents, 'project.finished')
      const task = (await (await api(`/projects/${projectId}/tasks`)).json()) as {
        items: { status: string }[]
      }
      expect(task.items.map((t) => t.status)).toEqual(['done'])
      child.kill('SIGTERM')
    }
    const result = await runServing(
      // Prompts are queued on Postgres: this server runs them itself.
      serveArgs(repo, mock.url, '--workers', '1'),
      { env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DATABASE_URL: url, PENGUIN_HOME: home } },
      drive,
    )
    expect(result.code, result.stderr).toBe(0)
    // Everything is in PostgreSQL; nothing went to a SQLite file.
    expect(existsSync(join(home, 'penguin.db'))).toBe(false)
    const store = await openPostgresStore(url)
    try {
      const messages = await store.listMessages(sessionId)
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant'])
      expect((await store.requireSession(sessionId)).title).toBe('say hello')
      const tasks = await store.listTasks(projectId)
      expect(tasks.map((t) => t.status)).toEqual(['done'])
      expect((await store.listRuns({ projectId })).length).toBeGreaterThan(0)
    } finally {
      await store.close()
    }
    // `penguin stats` reads the same database (PENGUIN_DATABASE_URL, as the server was given).
    const stats = await runPenguin(['stats', '--json'], {
      env: { PENGUIN_DATABASE_URL: url, PENGUIN_HOME: home },
    })
    expect(stats.code, stats.stderr).toBe(0)
    const { total } = JSON.parse(stats.stdout) as { total: { runs: number; inputTokens: number } }
    expect(total.runs).toBeGreaterThanOrEqual(2)
    expect(total.inputTokens).toBeGreaterThan(0)
    expect(existsSync(join(home, 'penguin.db'))).toBe(false)
  })

  it('penguin token create/list/revoke --database manage the tokens every server on it accepts', async () => {
    const url = await database()
    const root = await makeRepo({ 'README.md': '# x\n' })
    const home = await mkdtemp(join(tmpdir(), 'penguin-pg-home-'))
    const env = { PENGUIN_HOME: home }
    const created = await runPenguin(['token', 'create', '--name', 'ci', '--database', url], { env })
    expect(created.code, created.stderr).toBe(0)
    const token = created.stdout.trim()
    expect(token).toMatch(/^pgn_/)
    const listed = await runPenguin(['token', 'list', '--json'], {
      env: { ...env, PENGUIN_DATABASE_URL: url },
    })
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((t) => t.name)).toEqual(['ci'])
    const status = async (base: string) =>
      (await fetch(`${base}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } })).status
    const result = await runServing(
      ['serve', '--port', '0', '--root', root, '--sandbox', 'off', '--database', url],
      { env },
      async (base, child) => {
        expect(await status(base)).toBe(200)
        const revoked = await runPenguin(['token', 'revoke', 'ci', '--database', url], { env })
        expect(revoked.code, revoked.stderr).toBe(0)
        expect(await status(base)).toBe(401)
        child.kill('SIGTERM')
      },
    )
    expect(result.code, result.stderr).toBe(0)
    const unknown = await runPenguin(['token', 'revoke', 'nope', '--database', url], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe('penguin: token "nope" not found')
    // Nothing of it went to a SQLite file.
    expect(existsSync(join(home, 'penguin.db'))).toBe(false)
  })

  it('an unreachable database is one line and exit 1; a non-PostgreSQL URL is exit 2', async () => {
    const unreachable = await runPenguin([
      'serve',
      '--port',
      '0',
      '--database',
      'postgres://penguin@127.0.0.1:1/none',
    ])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(
      /cannot connect to the database at postgres:\/\/penguin@127\.0\.0\.1:1\/none/,
    )
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1)
    const wrong = await runPenguin(['serve', '--port', '0', '--database', 'mysql://x@y/z'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/--database must be a PostgreSQL URL/)
  })
})
