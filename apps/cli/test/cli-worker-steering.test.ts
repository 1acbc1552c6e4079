/**
 * Steering a run on a `penguin worker` that dies: a message the worker took in but had not stored
 * when it was SIGKILLed is delivered again by the worker that resumes the run, and one it had
 * stored is not — each message is in the conversation exactly once. The moments are held
 * deterministically: the test locks the session's row, so the store write that would carry the
 * message waits (the worker has it in memory, announced by `message.delivered`), and the mock holds
 * the next worker's request once the message is stored (a request goes only after its turn is).
 */
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { openRunQueue, type QueueConnection } from '@penguin-ai/server'
import { openPostgresStore, type PostgresStore } from '@penguin-ai/store'
import { holdSessionRow } from '@penguin-ai/test-postgres'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { serveArgs, sseFrames, startPenguin, startServing, stopBackground } from './serve-helpers.js'

const postgres = usePostgresCluster()
let mock: MockServer | undefined
let store: PostgresStore | undefined
let queue: QueueConnection | undefined

afterEach(async () => {
  stopBackground()
  await store?.close()
  store = undefined
  await queue?.close()
  queue = undefined
  await mock?.close()
  mock = undefined
})

function startWorker(url: string, repo: string, mockUrl: string, extra: string[] = []) {
  return startPenguin(
    ['worker', '--database', url, '--root', repo, '--base-url', mockUrl, '--sandbox', 'off', ...extra],
    { OPENAI_API_KEY: 'sk-test' },
  )
}

const STEER = 'STEER: mind the tests'
const count = (text: string) => text.split(STEER).length - 1

describe('steering a run whose worker is SIGKILLed', () => {
  it('a message taken but not stored is delivered again by the next worker; one stored is not', async () => {
    const firstAsked = createGate()
    const secondAsked = createGate()
    mock = await startMockServer({
      script: [
        {
          toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }],
          holdUntil: firstAsked.promise,
        },
        // The second worker's request (the steer stored before it goes): held until it is dead.
        { text: 'never sent', holdUntil: secondAsked.promise },
        { text: 'Finished, steered.' },
      ],
    })
    const url = await postgres.database('steer_kill')
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const { served, api, post } = await startServing(serveArgs(repo, mock.url), {
      OPENAI_API_KEY: 'sk-test',
      PENGUIN_DATABASE_URL: url,
    })
    await served.line(/runs: queued for workers/)
    store = await openPostgresStore(url, { maxConnections: 1 })
    queue = await openRunQueue(url)
    const db = queue
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const stream = sseFrames(await api(`/sessions/${session.id}/events`))
    const { run_id: runId } = (await (
      await post(`/sessions/${session.id}/messages`, { content: 'read the readme' })
    ).json()) as { run_id: string }

    const first = await startWorker(url, repo, mock.url)
    await within(mock.waitForRequests(1), 'the first worker to ask the model')
    const steered = await post(`/sessions/${session.id}/messages`, { content: STEER, delivery: 'steer' })
    expect(await steered.json()).toEqual({ run_id: runId, delivery: 'steer' })
    // The session's row locked: the write that would store the steer (with the turn) must wait.
    const held = await holdSessionRow(url, session.id)
    try {
      firstAsked.open()
      // The worker took the steer into the conversation (announced) and its write waits: kill it.
      await stream.until('message.delivered', (frame) => frame.data.text === STEER)
      await held.writeWaiting("the first worker's write to wait for the lock")
      first.child.kill('SIGKILL')
      await first.exited
    } finally {
      await held.release()
    }
    const opened = store
    expect((await opened.listMessages(session.id)).map((message) => message.role)).toEqual(['user'])

    // The next worker resumes the run: the steer is in its first request, and stored.
    const second = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    await within(mock.waitForRequests(2), 'the second worker to ask the model')
    const storedTexts = async () =>
      (await opened.listMessages(session.id)).map((message) => JSON.stringify(message.parts)).join('\n')
    expect(count(await storedTexts())).toBe(1)
    second.child.kill('SIGKILL')
    await second.exited

    // Stored already: the third worker does not deliver it again.
    const third = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    let run: { status: string; text: string } = { status: 'running', text: '' }
    await until(
      async () => {
        run = (await (await api(`/runs/${runId}`)).json()) as typeof run
        return run.status !== 'running'
      },
      { what: 'the resumed run to finish', intervalMs: 100 },
    )
    secondAsked.open()
    await stream.close()
    expect(run, third.output()).toMatchObject({ status: 'completed', text: 'Finished, steered.' })
    const requests = mock.requests.filter((request) => request.body)
    expect(requests).toHaveLength(3)
    expect(count(JSON.stringify(requests[1]?.body?.messages))).toBe(1)
    expect(count(JSON.stringify(requests[2]?.body?.messages))).toBe(1)
    expect(count(await storedTexts())).toBe(1)
    const [left] = await db.sql<{ count: string }>('SELECT count(*) FROM control_messages')
    expect(Number(left?.count)).toBe(0)

    third.child.kill('SIGTERM')
    served.child.kill('SIGTERM')
    expect((await third.exited).code, third.output()).toBe(0)
    expect((await served.exited).code, served.output()).toBe(0)
  }, 240_000)
})
