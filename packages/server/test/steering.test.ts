// POST /sessions/{id}/messages with `delivery`: steering the run in progress (read before its next
// model request, after the tool results of the turn in progress) or queueing a follow-up (read
// when it would stop), through the real server, engine and HTTP model.
import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import { createSession, sessionEvents, startTestServer, type TestServer } from './helpers.js'

/** The wire messages of the mock's `index`th request, as role + text. */
function sent(t: TestServer, index: number): { role: string; text: string }[] {
  return (t.mock.requests[index]?.body?.messages ?? []).map((message) => ({
    role: message.role,
    text: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  }))
}

async function post(t: TestServer, sessionId: string, json: Record<string, unknown>) {
  const response = await t.api(`/api/v1/sessions/${sessionId}/messages`, { method: 'POST', json })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('steering a run in progress', () => {
  it('a steer reaches the request after the tool results, a follow-up the request after the answer; a plain prompt is still 409', async () => {
    const held = createGate()
    const t = await startTestServer({
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], holdUntil: held.promise },
        { text: 'Read it; steered.' },
        { text: 'Followed up.' },
      ],
    })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const first = await post(t, session.id, { content: 'read the readme' })
    expect(first).toEqual({ status: 202, body: { run_id: expect.any(String), delivery: 'prompt' } })
    const runId = first.body.run_id
    await t.mock.waitForRequests(1)

    expect(await post(t, session.id, { content: 'STEER: and count its lines', delivery: 'steer' })).toEqual({
      status: 202,
      body: { run_id: runId, delivery: 'steer' },
    })
    expect(await post(t, session.id, { content: 'FOLLOW: then say bye', delivery: 'follow_up' })).toEqual({
      status: 202,
      body: { run_id: runId, delivery: 'follow_up' },
    })
    // Existing clients see no change: a prompt without `delivery` is refused while a run is active.
    const plain = await post(t, session.id, { content: 'another prompt' })
    expect(plain.status).toBe(409)
    expect(plain.body).toMatchObject({ error: { code: 'conflict', details: { active_run_id: runId } } })
    // An agent applies to a new run only.
    const withAgent = await post(t, session.id, { content: 'x', delivery: 'steer', agent: 'plan' })
    expect(withAgent.status).toBe(409)

    held.open()
    const events = await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    expect(events.at(-1)?.data).toMatchObject({ status: 'completed', text: 'Followed up.', run_id: runId })
    const delivered = events.filter((event) => event.event === 'message.delivered').map((event) => event.data)
    expect(delivered).toMatchObject([
      { delivery: 'steer', text: 'STEER: and count its lines', run_id: runId },
      { delivery: 'follow_up', text: 'FOLLOW: then say bye', run_id: runId },
    ])
    expect(t.mock.requests).toHaveLength(3)
    expect(sent(t, 1).map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(sent(t, 1).at(-1)?.text).toContain('STEER: and count its lines')
    expect(JSON.stringify(sent(t, 1))).not.toContain('FOLLOW')
    expect(
      sent(t, 2)
        .slice(-2)
        .map((message) => message.role),
    ).toEqual(['assistant', 'user'])
    expect(sent(t, 2).at(-1)?.text).toContain('FOLLOW: then say bye')

    // Stored as the user turns they were.
    const stored = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { role: string; parts: { type: string; text?: string }[] }[]
    }
    // Spelled out, as apps/cli's cli-worker-steering.test.ts does for the same run through a worker.
    expect(stored.items.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
      'user',
      'assistant',
    ])
    expect(stored.items[3]?.parts[0]?.text).toBe('STEER: and count its lines')
    expect(stored.items[5]?.parts[0]?.text).toBe('FOLLOW: then say bye')
  })

  it('with no run in progress a message with `delivery` starts one', async () => {
    const t = await startTestServer({ script: [{ text: 'hello' }] })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const accepted = await post(t, session.id, { content: 'hi', delivery: 'follow_up' })
    expect(accepted).toEqual({ status: 202, body: { run_id: expect.any(String), delivery: 'prompt' } })
    const events = await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    expect(events.find((event) => event.event === 'run.started')?.data).toMatchObject({ prompt: 'hi' })
  })

  it('a follow-up the run ends without reading (cancelled) is reported in a notice before run.finished', async () => {
    const held = createGate()
    const t = await startTestServer({ script: [{ text: 'never', holdUntil: held.promise }] })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const { body } = await post(t, session.id, { content: 'go' })
    await t.mock.waitForRequests(1)
    expect((await post(t, session.id, { content: 'later please', delivery: 'follow_up' })).status).toBe(202)
    expect((await t.api(`/api/v1/runs/${body.run_id}/cancel`, { method: 'POST' })).status).toBe(202)
    const events = await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    held.open()
    const notice = events.find((event) => event.event === 'notice' && event.data.source === 'steering')
    expect(notice?.data.message).toMatch(/not delivered.*aborted.*"later please"/)
    expect(events.at(-1)?.data).toMatchObject({ status: 'aborted' })
    expect(events.some((event) => event.event === 'message.delivered')).toBe(false)
  })
})
