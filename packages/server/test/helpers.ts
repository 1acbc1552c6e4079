import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach } from 'vitest'
import { type RunningServer, type ServeOptions, serve } from '../src/index.js'
import { openSse } from './sse-client.js'

const cleanups: (() => unknown)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Runs `cleanup` after the test, before what was registered earlier (the server, its mock). */
export function afterTest(cleanup: () => unknown): void {
  cleanups.push(cleanup)
}

export function tempDir(prefix = 'penguin-server-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface TestServer {
  server: RunningServer
  mock: MockServer
  /** The server's --root; `workspace` is a directory inside it with a file or two. */
  root: string
  workspace: string
  /** Where the database file and the checkpoints' shadow repositories are. */
  dataDir: string
  /** A bearer token (auth on by default). */
  token: string
  /** fetch against the server with the token. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>
}

export interface TestServerOptions extends Partial<ServeOptions> {
  script?: MockTurn[] | ((request: unknown, index: number) => MockTurn)
}

/** The real serve() on 127.0.0.1:0 with the mock model as the provider's endpoint. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { script, ...serveOptions } = options
  const mock = await startMockServer({ script: (script ?? []) as MockTurn[] })
  cleanups.push(() => mock.close())
  const home = tempDir()
  const root = join(home, 'root')
  const workspace = join(root, 'repo')
  mkdirSync(workspace, { recursive: true })
  writeFileSync(join(workspace, 'README.md'), '# sample\n')
  const server = await serve({
    host: '127.0.0.1',
    port: 0,
    root,
    dbPath: join(home, 'data', 'penguin.db'),
    model: 'openai/gpt-4o',
    baseUrl: mock.url,
    // A user config directory of its own: nothing of the machine's ~/.config/penguin leaks in.
    env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: join(home, 'xdg') },
    handleSignals: false,
    log: () => {},
    ...serveOptions,
  })
  cleanups.push(() => server.close())
  const { token } = await server.store.createToken(`test-${Math.random().toString(36).slice(2)}`)
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, headers, ...rest } = init
    return fetch(`${server.url}${path}`, {
      ...rest,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    })
  }
  return { server, mock, root, workspace, dataDir: join(home, 'data'), token, api }
}

export async function createSession(
  t: TestServer,
  body: Record<string, unknown> = {},
): Promise<{ id: string; [key: string]: unknown }> {
  const response = await t.api('/api/v1/sessions', {
    method: 'POST',
    json: { workspace: t.workspace, ...body },
  })
  if (response.status !== 201) throw new Error(`create session: ${response.status} ${await response.text()}`)
  return (await response.json()) as { id: string }
}

/** The session's live events (`GET …/events`, SSE). */
export function sessionEvents(t: TestServer, sessionId: string) {
  return openSse(`${t.server.url}/api/v1/sessions/${sessionId}/events`, {
    authorization: `Bearer ${t.token}`,
  })
}

/** `POST …/messages` to the session: the API's answer. */
export function postMessage(t: TestServer, sessionId: string, body: Record<string, unknown>) {
  return t.api(`/api/v1/sessions/${sessionId}/messages`, { method: 'POST', json: body })
}

/** Every event of the server (`GET /api/v1/events`, SSE). */
export function allEvents(t: TestServer, headers: Record<string, string> = {}) {
  return openSse(`${t.server.url}/api/v1/events`, { authorization: `Bearer ${t.token}`, ...headers })
}

/** `POST /api/v1/projects` with `body`; the project created (a non-201 answer throws). */
export async function createProject(t: TestServer, body: Record<string, unknown>): Promise<{ id: number }> {
  const response = await t.api('/api/v1/projects', { method: 'POST', json: body })
  if (response.status !== 201) throw new Error(`create project: ${response.status} ${await response.text()}`)
  return (await response.json()) as { id: number }
}
