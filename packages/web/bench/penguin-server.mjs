// A real Penguin API server in this process, for the browser tests and `pnpm bench:web`: the
// server package's `createServerApp` (every route, auth, SSE) on @hono/node-server, with the built
// UI mounted in front of it as the README tells `penguin serve` to do, and the mock model as the
// provider. Under vitest the workspace packages resolve to their sources; under node, to dist/.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { resolveModel } from '@penguin-ai/llm'
import { startMockServer } from '@penguin-ai/mock-llm'
import { createServerApp, MemoryEventHub } from '@penguin-ai/server'
import { openStore } from '@penguin-ai/store'
import { webAssetResponse, webAssetsDir } from '../dist/assets.js'

/** @param {import('./penguin-server.d.mts').PenguinServerOptions} [options] */
export async function startPenguinServer(options = {}) {
  const mock = await startMockServer({ script: options.script ?? [] })
  const home = mkdtempSync(join(tmpdir(), 'penguin-web-'))
  const root = join(home, 'root')
  const workspace = join(root, 'repo')
  mkdirSync(join(workspace, 'src'), { recursive: true })
  writeFileSync(join(workspace, 'README.md'), '# sample\n')
  writeFileSync(join(workspace, 'src', 'app.js'), 'export const answer = 42\n')
  const store = openStore({ path: join(home, 'data', 'penguin.db') })
  const env = { OPENAI_API_KEY: 'dummy' }
  const auth = options.auth ?? false
  const deps = {
    // The server works on the async store (SQLite's async face here; PostgreSQL offers the same).
    store: store.async,
    env,
    events: new MemoryEventHub(),
    config: {
      root: realpathSync(root),
      auth,
      corsOrigins: [],
      defaultModel: 'openai/gpt-4o',
      baseUrl: mock.url,
      dataDir: dirname(store.path),
      // Without the OS sandbox, commands are asked about: the UI's permission asks are what these
      // tests drive (in the sandbox, the default, commands run without asking).
      sandbox: { mode: options.sandbox ?? 'off' },
    },
    resolveModel: (id) => resolveModel(id, { env, baseUrl: mock.url }),
  }
  const { app, runtime } = createServerApp(deps, { log: () => {} })
  const dir = options.webDir ?? webAssetsDir()
  const server = createAdaptorServer({
    // The UI first (it answers only GET/HEAD outside /api and the probes), then the API with its auth.
    fetch: async (request, bindings) =>
      (await webAssetResponse(request, { dir })) ?? app.fetch(request, bindings),
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const { port } = server.address()
  const token = auth ? store.createToken(`web-test-${Date.now()}`).token : undefined
  let closing
  return {
    url: `http://127.0.0.1:${port}`,
    root: realpathSync(root),
    workspace: realpathSync(workspace),
    store,
    mock,
    token,
    close() {
      closing ??= (async () => {
        await runtime.runs.shutdown(3_000)
        server.closeAllConnections()
        await new Promise((resolve) => server.close(() => resolve(undefined)))
        await mock.close()
        store.close()
        rmSync(home, { recursive: true, force: true })
      })()
      return closing
    },
  }
}
