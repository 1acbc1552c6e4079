/**
 * A queued run's end on a worker: the session is free on every server BEFORE `run.finished` goes
 * out, as it is for a run in the server's own process — a client that sends the next prompt the
 * moment it sees `run.finished` (as every UI does) is never told the session is busy.
 */
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { MemoryEventHub } from '../src/index.js'
import { createSession, postMessage } from './helpers.js'
import { startQueueingServer, startTestWorker } from './queue-helpers.js'

const postgres = usePostgresCluster()

describe('the end of a run on a worker', () => {
  it('frees the session on every server before run.finished is published', async () => {
    const databaseUrl = await postgres.database('run_end')
    // A server with no workers of its own, and a worker whose events this test hears first-hand.
    const { server, queue } = await startQueueingServer(databaseUrl, [
      { text: 'First.' },
      { text: 'Second.' },
    ])
    const events = new MemoryEventHub()
    await startTestWorker(server, databaseUrl, { events })
    const session = await createSession(server)
    // What the database says at the instant run.finished is published, and the prompt a client
    // sends at that instant.
    let unfinished: Promise<number> | undefined
    let next: Promise<Response> | undefined
    const ended = new Promise<void>((resolve) => {
      events.subscribe(
        (event) => event.event === 'run.finished',
        (event) => {
          // The finished run's own lease: the prompt sent below queues a new one at once.
          unfinished ??= queue
            .sql<{ count: string }>(
              'SELECT count(*) FROM run_leases WHERE run_id = $1 AND finished_at IS NULL',
              [String(event.data.run_id)],
            )
            .then(([row]) => Number(row?.count))
          next ??= postMessage(server, session.id, { content: 'and again' })
          resolve()
        },
      )
    })
    const posted = await postMessage(server, session.id, { content: 'say something' })
    expect(posted.status).toBe(202)
    await within(ended, 'the queued run to finish on the worker')
    expect(await unfinished).toBe(0)
    const accepted = await (next as Promise<Response>)
    expect(accepted.status, await accepted.clone().text()).toBe(202)
    await within(server.mock.waitForRequests(2), 'the next prompt to reach the model')
  }, 120_000)
})
