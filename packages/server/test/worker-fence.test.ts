/**
 * A worker too slow to beat its heartbeat (not dead: stuck, paused, cut off for a while) whose run
 * was taken back and dispatched again must not store a message twice: what it writes afterwards is
 * fenced by the run's lease (the store's AppendOptions.fence), so it loses cleanly — nothing stored,
 * its end not announced — and the worker that holds the run now goes on from what is stored. The
 * take-back is written here as the sweep and the next worker's claim write it.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { afterTest, createSession, postMessage, sessionEvents } from './helpers.js'
import { startQueueingServer, startTestWorker } from './queue-helpers.js'

const postgres = usePostgresCluster()

describe('a slow worker whose run was taken back', () => {
  it('stores nothing more for it and does not announce its end', async () => {
    const databaseUrl = await postgres.database('fenced_append')
    const answered = createGate()
    const { server, queue } = await startQueueingServer(databaseUrl, [
      { text: 'Done, from the slow worker.', holdUntil: answered.promise },
    ])
    const logged: string[] = []
    const worker = await startTestWorker(server, databaseUrl, {
      // Its own heartbeat would notice the loss too (every 200 s here): the append must, first.
      heartbeatSeconds: 600,
      log: (message) => logged.push(message),
    })
    afterTest(() => answered.open())
    const session = await createSession(server)
    const stream = await sessionEvents(server, session.id)
    const posted = await postMessage(server, session.id, { content: 'say done' })
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    // The run's prompt is stored and its request is in: now the worker is "slow".
    await within(server.mock.waitForRequests(1), 'the worker to ask the model')
    // The sweep took the lease back and another worker claimed the run (its second attempt).
    await queue.sql(
      `UPDATE run_leases SET worker_id = 'the-other-worker', attempts = attempts + 1, heartbeat_at = now()
         WHERE run_id = $1 AND finished_at IS NULL`,
      [runId],
    )
    answered.open()
    const seen = await stream.collect((event) => event.event === 'notice' && event.data.source === 'queue')
    stream.close()
    expect(seen.map((event) => event.event)).not.toContain('run.finished')
    await until(() => worker.activeCount === 0, { what: 'the slow worker to stop the run' })
    expect(logged.some((line) => line.includes(`lost the lease of run ${runId}`))).toBe(true)

    // Only what was stored while it held the lease: the prompt, not the answer.
    const listed = (await (await server.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { role: string }[]
    }
    expect(listed.items.map((message) => message.role)).toEqual(['user'])
    // The run is still the other worker's, unfinished.
    const [lease] = await queue.sql<{ worker_id: string; finished_at: Date | null }>(
      'SELECT worker_id, finished_at FROM run_leases WHERE run_id = $1',
      [runId],
    )
    expect(lease).toEqual({ worker_id: 'the-other-worker', finished_at: null })
  }, 120_000)
})
