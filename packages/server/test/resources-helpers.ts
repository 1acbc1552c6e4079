/**
 * The resource routes (projects, tasks, memory, models, usage) mounted on a bare Hono app with the
 * server's error handler, over a real SQLite store in a temp dir and the mock model.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveModel } from '@penguin-ai/llm'
import { type MockServer, type MockServerOptions, startMockServer } from '@penguin-ai/mock-llm'
import { openStore, type Store } from '@penguin-ai/store'
import { Hono } from 'hono'
import { afterEach } from 'vitest'
import type { ServerDeps, StreamedEvent } from '../src/deps.js'
import { MemoryEventHub } from '../src/events/hub.js'
import { errorHandler, notFoundHandler } from '../src/http/errors.js'
import { projectRunner } from '../src/projects/runner.js'
import { memoryRoutes } from '../src/routes/memory.js'
import { modelRoutes } from '../src/routes/models.js'
import { projectRoutes } from '../src/routes/projects.js'
import { taskRoutes } from '../src/routes/tasks.js'
import { usageRoutes } from '../src/routes/usage.js'

const cleanups: (() => unknown)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

export interface Reply {
  status: number
  headers: Headers
  text: string
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON bodies
  body: any
}

export interface Harness {
  deps: ServerDeps
  store: Store
  hub: MemoryEventHub
  mock: MockServer
  root: string
  /** A directory under the root with a README. */
  workspace: string
  /** Unexpected errors the error handler logged (500s). */
  unexpected: unknown[]
  request(method: string, path: string, json?: unknown): Promise<Reply>
  /** Every event published from now on. */
  events(): StreamedEvent[]
}

export interface HarnessOptions {
  script?: MockServerOptions['script']
  /** The server's default model; `null` for none. Default `openai/gpt-4o`. */
  defaultModel?: string | null
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const home = mkdtempSync(join(tmpdir(), 'penguin-resources-'))
  cleanups.push(() => rmSync(home, { recursive: true, force: true }))
  const root = join(home, 'root')
  const workspace = join(root, 'repo')
  mkdirSync(workspace, { recursive: true })
  writeFileSync(join(workspace, 'README.md'), '# sample\n')
  const mock = await startMockServer({ script: options.script ?? [] })
  cleanups.push(() => mock.close())
  const store = openStore({ path: join(home, 'data', 'penguin.db') })
  cleanups.push(() => store.close())
  const hub = new MemoryEventHub()
  const env = { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: join(home, 'xdg') }
  const defaultModel = options.defaultModel === undefined ? 'openai/gpt-4o' : options.defaultModel
  const deps: ServerDeps = {
    store: store.async,
    events: hub,
    env,
    config: {
      root,
      auth: false,
      corsOrigins: [],
      dataDir: join(home, 'data'),
      ...(defaultModel ? { defaultModel } : {}),
    },
    // OpenAI models go to the mock; others resolve as in production (unknown provider, missing key).
    resolveModel: (id) =>
      id.startsWith('openai/') ? resolveModel(id, { env, baseUrl: mock.url }) : resolveModel(id, { env }),
  }
  cleanups.push(() => projectRunner(deps).shutdown(5_000))

  const api = new Hono()
  api.route('/', projectRoutes(deps))
  api.route('/', taskRoutes(deps))
  api.route('/', memoryRoutes(deps))
  api.route('/', modelRoutes(deps))
  api.route('/', usageRoutes(deps))
  const app = new Hono()
  app.route('/api/v1', api)
  const unexpected: unknown[] = []
  app.notFound(notFoundHandler)
  app.onError(errorHandler((error) => unexpected.push(error)))

  const request = async (method: string, path: string, json?: unknown): Promise<Reply> => {
    const response = await app.fetch(
      new Request(`http://localhost/api/v1${path}`, {
        method,
        ...(json === undefined
          ? {}
          : {
              headers: { 'content-type': 'application/json' },
              body: typeof json === 'string' ? json : JSON.stringify(json),
            }),
      }),
    )
    const text = await response.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, text, body }
  }
  const events = () => {
    const seen: StreamedEvent[] = []
    const unsubscribe = hub.subscribe(
      () => true,
      (event) => seen.push(event),
    )
    cleanups.push(unsubscribe)
    return seen
  }
  return { deps, store, hub, mock, root, workspace, unexpected, request, events }
}

export { until } from '@penguin-ai/testkit'
