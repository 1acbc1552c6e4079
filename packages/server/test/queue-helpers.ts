/**
 * Tests of the runs a server queues for workers in PostgreSQL (worker-fence, worker-run-end,
 * steering-late): the server with no workers of its own, its queue's connection, an in-process
 * worker rooted where the server is — each closed after the test.
 */
import type { MockTurn } from '@penguin-ai/mock-llm'
import { openRunQueue, startWorker, type WorkerOptions } from '../src/index.js'
import { afterTest, startTestServer, type TestServer } from './helpers.js'

/** A server queueing its runs on `databaseUrl` (the mock model answers `script`) and its queue. */
export async function startQueueingServer(databaseUrl: string, script: MockTurn[] = []) {
  const server = await startTestServer({ dbPath: undefined, databaseUrl, sandbox: { mode: 'off' }, script })
  const queue = await openRunQueue(databaseUrl)
  afterTest(() => queue.close())
  return { server, queue }
}

/** A worker on `databaseUrl` taking `server`'s runs (asking its mock model); then `options`. */
export async function startTestWorker(
  server: TestServer,
  databaseUrl: string,
  options: Partial<WorkerOptions> = {},
) {
  const worker = await startWorker({
    databaseUrl,
    roots: [server.root],
    baseUrl: server.mock.url,
    sandbox: { mode: 'off' },
    env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: `${server.dataDir}/xdg` },
    log: () => {},
    ...options,
  })
  afterTest(() => worker.close())
  return worker
}
