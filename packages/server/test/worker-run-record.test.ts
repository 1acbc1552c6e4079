/**
 * `GET /runs/{id}` of a run in progress on a worker (another RunManager, here a server's in-process
 * worker; apps/cli/test/cli-serve-shared.test.ts does it with a `penguin worker` process): asked of
 * a server that does not run it, it shows what the same run in progress shows on a SQLite server
 * that runs it itself — status, text, usage and cost so far — folded from the run's events.
 */
import { createGate, type MockTurn } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer, type TestServer } from './helpers.js'

const postgres = usePostgresCluster()

/** One turn that reads a file (with its usage), then a second turn held until `held` opens. */
function heldScript(held: Promise<void>): MockTurn[] {
  return [
    {
      text: 'Reading.',
      toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }],
      usage: { prompt_tokens: 1000, completion_tokens: 200 },
    },
    { text: 'Done.', holdUntil: held },
  ]
}

/** Prompts a new session and resolves to the run's id. */
async function prompt(t: TestServer, workspace = t.workspace): Promise<{ runId: string; sessionId: string }> {
  const session = await createSession(t, { workspace, auto_approve: true })
  const posted = await postMessage(t, session.id, { content: 'read the readme' })
  const { run_id: runId } = (await posted.json()) as { run_id: string }
  return { runId, sessionId: session.id }
}

const shown = ({ id: _id, session_id: _session, started_at: _started, ...rest }: Record<string, unknown>) =>
  rest

describe('GET /runs/{id} of a run on a worker', () => {
  it('shows the status, text, usage and cost so far, as a run in the process that asks', async () => {
    const heldHere = createGate()
    const local = await startTestServer({ script: heldScript(heldHere.promise) })
    const here = await prompt(local)
    await within(local.mock.waitForRequests(2), 'the local run to reach its second turn')
    const inProcess = (await (await local.api(`/api/v1/runs/${here.runId}`)).json()) as Record<
      string,
      unknown
    >

    const heldThere = createGate()
    const databaseUrl = await postgres.database('run_record')
    const shared = { dbPath: undefined, databaseUrl, sandbox: { mode: 'off' as const } }
    const a = await startTestServer({ ...shared, workers: 1, script: heldScript(heldThere.promise) })
    const b = await startTestServer({ ...shared, root: a.root })
    const there = await prompt(b, a.workspace)
    const stream = await sessionEvents(b, there.sessionId)
    await stream.collect((event) => event.event === 'usage')
    await within(a.mock.waitForRequests(2), "the worker's run to reach its second turn")
    stream.close()
    const onWorker = (await (await b.api(`/api/v1/runs/${there.runId}`)).json()) as Record<string, unknown>

    expect(inProcess).toMatchObject({ status: 'running', text: '', finished_at: null })
    expect((inProcess.usage as { total_tokens: number }).total_tokens).toBe(1200)
    expect(shown(onWorker)).toEqual(shown(inProcess))
    expect(onWorker).toMatchObject({ id: there.runId, session_id: there.sessionId })
    expect(Date.parse(String(onWorker.started_at))).not.toBeNaN()

    heldHere.open()
    heldThere.open()
  }, 120_000)
})
