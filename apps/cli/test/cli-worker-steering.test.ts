/**
 * Steering a run on a `penguin worker`, through the real CLI on a private PostgreSQL cluster: a
 * steer and a follow-up sent to the server reach the worker's run through the database. When the
 * worker dies: a message the worker took in but had not stored
 * when it was SIGKILLed is delivered again by the worker that resumes the run, and one it had
 * stored is not — each message is in the conversation exactly once. The moments are held
 * deterministically: the test locks the session's row, so the store write that would carry the
 * message waits (the worker has it in memory, announced by `message.delivered`), and the mock holds
 * the next worker's request once the message is stored (a request goes only after its turn is).
 */
import { createGate } from '@penguin-ai/mock-llm'
import { openRunQueue } from '@penguin-ai/server'
import { openPostgresStore } from '@penguin-ai/store'
import { holdSessionRow } from '@penguin-ai/test-postgres'
import { within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { sseFrames } from './serve-helpers.js'
import { runFinished, startQueueingServer, startWorker, useWorkerTests } from './worker-helpers.js'

const { setUp, closeAfter } = useWorkerTests()

const STEER = 'STEER: mind the tests'
const count = (text: string) => text.split(STEER).length - 1

describe('steering a run whose worker is SIGKILLed', () => {
  it('a message taken but not stored is delivered again by the next worker; one stored is not', async () => {
    const firstAsked = createGate()
    const secondAsked = createGate()
    const { mock, url, repo } = await setUp('steer_kill', {
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
    const { server: served, api, post } = await startQueueingServer(url, repo, mock.url)
    await served.line(/runs: queued for workers/)
    const opened = closeAfter(await openPostgresStore(url, { maxConnections: 1 }))
    const db = closeAfter(await openRunQueue(url))
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
    const run = await runFinished(api, runId, 'the resumed run to finish')
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

interface WireMessage {
  role: string
  content?: unknown
}

const wireText = (message: WireMessage | undefined) =>
  typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content ?? '')

// Steering across processes: the server takes the message, the run executes on a worker, the
// message reaches it through the database. The mock holds the worker's first request until both
// messages are accepted, so they land mid-run deterministically: the steer must be in the worker's
// next request (right after the tool results), the follow-up in the request after the answer.
describe('steering a run on a worker', () => {
  it("a steer and a follow-up sent to the server reach the worker's next model requests", async () => {
    const held = createGate()
    const { mock, url, repo } = await setUp(
      'worker_steer',
      {
        script: [
          { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], holdUntil: held.promise },
          { text: 'Read it, and steered.' },
          { text: 'Followed up.' },
        ],
      },
      '# steer me\n',
    )
    const { server, api, post } = await startQueueingServer(url, repo, mock.url)
    await server.line(/runs: queued for workers/)
    const worker = await startWorker(url, repo, mock.url)
    await worker.line(/taking runs under/)
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const stream = sseFrames(await api(`/sessions/${session.id}/events`))
    const accepted = await post(`/sessions/${session.id}/messages`, { content: 'read the readme' })
    expect(await accepted.json()).toEqual({ run_id: expect.any(String), delivery: 'prompt' })
    // The worker's first request is in, and held: the user types meanwhile, on the server.
    await within(mock.waitForRequests(1), 'the worker to ask the model')
    const steer = await post(`/sessions/${session.id}/messages`, {
      content: 'STEER: count its lines too',
      delivery: 'steer',
    })
    expect(steer.status).toBe(202)
    const steered = (await steer.json()) as { run_id: string; delivery: string }
    expect(steered.delivery).toBe('steer')
    const follow = await post(`/sessions/${session.id}/messages`, {
      content: 'FOLLOW: then say bye',
      delivery: 'follow_up',
    })
    expect(await follow.json()).toEqual({ run_id: steered.run_id, delivery: 'follow_up' })
    // A plain prompt is still refused while the run is active.
    expect((await post(`/sessions/${session.id}/messages`, { content: 'again' })).status).toBe(409)
    held.open()

    const run = await runFinished(api, steered.run_id, 'the run on the worker to finish')
    expect(run, worker.output()).toMatchObject({ status: 'completed', text: 'Followed up.' })
    // The server's stream shows when the worker's run read each message.
    const seen = await stream.until('run.finished')
    await stream.close()
    expect(
      seen.filter((frame) => frame.event === 'message.delivered').map((frame) => frame.data),
    ).toMatchObject([
      { delivery: 'steer', text: 'STEER: count its lines too', run_id: steered.run_id },
      { delivery: 'follow_up', text: 'FOLLOW: then say bye', run_id: steered.run_id },
    ])
    const requests = mock.requests.filter((request) => request.body)
    expect(requests).toHaveLength(3)
    const second = (requests[1]?.body?.messages ?? []) as WireMessage[]
    expect(second.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(wireText(second.at(-1))).toContain('STEER: count its lines too')
    expect(JSON.stringify(second)).not.toContain('FOLLOW')
    const third = (requests[2]?.body?.messages ?? []) as WireMessage[]
    expect(third.slice(-2).map((message) => message.role)).toEqual(['assistant', 'user'])
    expect(wireText(third.at(-1))).toContain('FOLLOW: then say bye')
    // Stored by the worker as the user turns they were.
    const messages = (await (await api(`/sessions/${session.id}/messages`)).json()) as {
      items: { role: string; parts: { text?: string }[] }[]
    }
    // The conversation a steered run stores, spelled out as the server's steering.test.ts does (there
    // in-process, here through a worker): each states the contract it checks.
    expect(messages.items.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
      'user',
      'assistant',
    ])
    expect(messages.items[3]?.parts[0]?.text).toBe('STEER: count its lines too')

    worker.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await worker.exited).code, worker.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 180_000)
})
