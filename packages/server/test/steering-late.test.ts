/**
 * A message for a run on a worker that reaches it after the run stopped reading (it arrives in the
 * last moments before the run's lease is finished) is not dropped: the run's end takes it, and it
 * becomes the prompt of the next run — as in a server's own process, where the same message starts
 * that run, and the answer says so (`delivery: "prompt"`, the next run's id). The moment is held deterministically: the test locks the session's row, so the run's
 * last store write (after `run.finished`, when its inbox is closed) waits while the message is sent.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { holdSessionRow } from '@penguin-ai/test-postgres'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { afterTest, createSession, postMessage, sessionEvents } from './helpers.js'
import { startQueueingServer, startTestWorker } from './queue-helpers.js'

const postgres = usePostgresCluster()

type WireMessage = { role: string; content?: unknown }

const lastText = (message: WireMessage | undefined) => JSON.stringify(message?.content ?? '')

describe('a message that reaches a worker after its run stopped reading', () => {
  it('becomes the prompt of the next run, said on the stream; stored once', async () => {
    const databaseUrl = await postgres.database('late_steer')
    const answered = createGate()
    const { server, queue } = await startQueueingServer(databaseUrl, [
      { text: 'Done.', holdUntil: answered.promise },
      { text: 'Read the late one.' },
    ])
    await startTestWorker(server, databaseUrl)
    const session = await createSession(server)
    const stream = await sessionEvents(server, session.id)
    const posted = await postMessage(server, session.id, { content: 'say done' })
    const first = (await posted.json()) as { run_id: string }
    // The run's request is in (its prompt is stored before it goes): hold the session's row.
    await within(server.mock.waitForRequests(1), 'the worker to ask the model')
    const held = await holdSessionRow(databaseUrl, session.id)
    afterTest(() => held.release())
    answered.open()
    // The model answered, the run ended (its inbox is closed) and its last write waits.
    await held.writeWaiting("the run's last write to wait for the lock")
    // And its worker has said it reads no more (the row its end takes with the run's messages).
    await until(
      async () => {
        const [row] = await queue.sql<{ closed: string }>(
          `SELECT count(*) AS closed FROM control_messages WHERE node_id = $1 AND body LIKE '{"inboxClosed":%'`,
          [`run:${first.run_id}`],
        )
        return Number(row?.closed) > 0
      },
      { what: 'the run to stop reading its messages', intervalMs: 20 },
    )
    const late = await postMessage(server, session.id, { content: 'LATE: one more thing', delivery: 'steer' })
    expect(late.status).toBe(202)
    // The answer says what happens: it is the prompt of the run after (not steering this one).
    const answer = (await late.json()) as { run_id: string; delivery: string }
    expect(answer.delivery).toBe('prompt')
    expect(answer.run_id).not.toBe(first.run_id)
    await held.release()

    const seen = await stream.collect(
      (event) => event.event === 'run.finished' && event.data.run_id !== first.run_id,
    )
    stream.close()
    const sequence = seen.map(
      (event) => `${event.event}${event.event === 'notice' ? `:${event.data.source}` : ''}`,
    )
    expect(sequence.indexOf('notice:steering')).toBeLessThan(sequence.indexOf('run.finished'))
    const notice = seen.find((event) => event.event === 'notice')?.data as {
      message: string
      run_id: string
    }
    expect(notice.run_id).toBe(first.run_id)
    const next = seen.find((event) => event.event === 'run.started' && event.data.run_id !== first.run_id)
      ?.data as { run_id: string; prompt: string }
    expect(next.prompt).toBe('LATE: one more thing')
    expect(next.run_id).toBe(answer.run_id)
    expect(notice.message).toContain(next.run_id)
    expect(notice.message).toContain('LATE: one more thing')
    const finished = seen.filter((event) => event.event === 'run.finished').map((event) => event.data)
    expect(finished).toMatchObject([
      { run_id: first.run_id, status: 'completed' },
      { run_id: next.run_id, status: 'completed' },
    ])
    // The run after read it as its prompt; stored once.
    const requests = server.mock.requests.filter((request) => request.body)
    expect(requests).toHaveLength(2)
    const sent = (requests[1]?.body?.messages ?? []) as WireMessage[]
    expect(lastText(sent.at(-1))).toContain('LATE: one more thing')
    const messages = (await (await server.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { role: string; parts: { text?: string }[] }[]
    }
    expect(messages.items.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(messages.items[2]?.parts[0]?.text).toBe('LATE: one more thing')
    const [left] = await queue.sql<{ count: string }>('SELECT count(*) FROM control_messages')
    expect(Number(left?.count)).toBe(0)
  }, 120_000)

  it('one sent to a queued run that is cancelled before a worker takes it is reported, not kept', async () => {
    const databaseUrl = await postgres.database('unrun_steer')
    // No worker: the run stays queued.
    const { server, queue } = await startQueueingServer(databaseUrl)
    const session = await createSession(server)
    const stream = await sessionEvents(server, session.id)
    const posted = await postMessage(server, session.id, { content: 'queued prompt' })
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    const steered = await postMessage(server, session.id, { content: 'QUEUED: steer it', delivery: 'steer' })
    expect(await steered.json()).toEqual({ run_id: runId, delivery: 'steer' })
    expect((await server.api(`/api/v1/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(202)
    const seen = await stream.collect((event) => event.event === 'run.finished')
    stream.close()
    expect(seen.map((event) => event.event)).toEqual(['notice', 'run.finished'])
    expect(seen[0]?.data).toMatchObject({ source: 'steering', level: 'warning', run_id: runId })
    expect(String(seen[0]?.data.message)).toContain('QUEUED: steer it')
    expect(seen[1]?.data).toMatchObject({ status: 'aborted', run_id: runId })
    const [left] = await queue.sql<{ count: string }>('SELECT count(*) FROM control_messages')
    expect(Number(left?.count)).toBe(0)
  }, 120_000)
})
