/**
 * The worker tests' processes: a `penguin serve` that queues runs in PostgreSQL (no workers of its
 * own), `penguin worker`s that take them, and the wait for a queued run to end; and each file's
 * set-up (`useWorkerTests`).
 */
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until } from '@penguin-ai/testkit'
import { afterEach } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { type Background, serveArgs, startPenguin, startServing, stopBackground } from './serve-helpers.js'

interface Closable {
  close(): Promise<unknown>
}

/**
 * A worker test file's set-up: a private PostgreSQL cluster for the file; after each test its
 * `penguin` processes stopped, then what it opened (`closeAfter`, the mock model) closed, last first.
 */
export function useWorkerTests() {
  const postgres = usePostgresCluster()
  const opened: Closable[] = []
  afterEach(async () => {
    stopBackground()
    for (const one of opened.splice(0).reverse()) await one.close()
  })
  const closeAfter = <T extends Closable>(one: T): T => {
    opened.push(one)
    return one
  }
  return {
    closeAfter,
    /** The mock model (`mock` options), a new database named after `prefix`, a repo with a README. */
    async setUp(
      prefix: string,
      mock: Parameters<typeof startMockServer>[0],
      readme = '# x\n',
    ): Promise<{ mock: MockServer; url: string; repo: string }> {
      const server = closeAfter(await startMockServer(mock))
      return {
        mock: server,
        url: await postgres.database(prefix),
        repo: await makeRepo({ 'README.md': readme }),
      }
    },
  }
}

/** `penguin serve` on database `url` (the mock model as its endpoint): its process and its API. */
export async function startQueueingServer(url: string, repo: string, mockUrl: string) {
  const { served, api, post } = await startServing(serveArgs(repo, mockUrl), {
    OPENAI_API_KEY: 'sk-test',
    PENGUIN_DATABASE_URL: url,
  })
  return { server: served, api, post }
}

/** `penguin worker` on database `url`, rooted at `repo`, asking the mock model; then `extra`. */
export function startWorker(
  url: string,
  repo: string,
  mockUrl: string,
  extra: string[] = [],
): Promise<Background> {
  return startPenguin(
    ['worker', '--database', url, '--root', repo, '--base-url', mockUrl, '--sandbox', 'off', ...extra],
    { OPENAI_API_KEY: 'sk-test' },
  )
}

export interface RunRecord {
  status: string
  text: string
}

/**
 * The run once it is no longer running, read from the server's API (`GET /runs/:id`) until then:
 * the server learns of a worker's run ending from the database, with no event a test can await.
 */
export async function runFinished(
  api: (path: string) => Promise<Response>,
  runId: string,
  what = 'the run to finish',
): Promise<RunRecord> {
  let run: RunRecord = { status: 'running', text: '' }
  await until(
    async () => {
      run = (await (await api(`/runs/${runId}`)).json()) as RunRecord
      return run.status !== 'running'
    },
    { what, intervalMs: 100 },
  )
  return run
}
