import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import { allEvents, createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'

describe('many sessions at once', () => {
  // Twenty runs through the real engine, HTTP model calls, SQLite and SSE: genuinely slow on a busy
  // machine, so a generous bound.
  it('runs 20 sessions concurrently, each to completion with its own history', {
    timeout: 120_000,
  }, async () => {
    // Every answer is held until all 20 requests have reached the model. Queued runs would never
    // get there (the first would wait forever for its answer); concurrent ones all arrive.
    const allArrived = createGate()
    const t = await startTestServer({ script: () => ({ text: 'done', holdUntil: allArrived.promise }) })
    const sessions = await Promise.all(Array.from({ length: 20 }, () => createSession(t)))
    const all = await allEvents(t)
    const runIds = await Promise.all(
      sessions.map(async (session, i) => {
        const response = await t.api(`/api/v1/sessions/${session.id}/messages`, {
          method: 'POST',
          json: { content: `task ${i}` },
        })
        expect(response.status).toBe(202)
        return ((await response.json()) as { run_id: string }).run_id
      }),
    )
    expect(new Set(runIds).size).toBe(20)
    await t.mock.waitForRequests(20)
    allArrived.open()
    const finishedRuns = new Set<string>()
    await all.collect((event) => {
      if (event.event === 'run.finished') finishedRuns.add(String(event.data.run_id))
      return finishedRuns.size === 20
    }, 30_000)
    all.close()
    expect(t.mock.requests).toHaveLength(20)
    for (const [i, session] of sessions.entries()) {
      const messages = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
        items: { role: string; parts: { text?: string }[] }[]
      }
      expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant'])
      expect(messages.items[0]?.parts[0]?.text).toBe(`task ${i}`)
      const run = (await (await t.api(`/api/v1/runs/${runIds[i]}`)).json()) as {
        status: string
        session_id: string
      }
      expect(run).toMatchObject({ status: 'completed', session_id: session.id })
    }
  })

  it('refuses a second message while a run is active (409), then accepts one after it ends', async () => {
    const answer = createGate()
    const t = await startTestServer({
      script: [{ text: 'slow', holdUntil: answer.promise }, { text: 'second' }],
    })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const first = await postMessage(t, session.id, { content: 'one' })
    expect(first.status).toBe(202)
    const { run_id: runId } = (await first.json()) as { run_id: string }
    const busy = (await (await t.api(`/api/v1/sessions/${session.id}`)).json()) as {
      active_run_id: string | null
    }
    expect(busy.active_run_id).toBe(runId)
    const second = await postMessage(t, session.id, { content: 'two' })
    expect(second.status).toBe(409)
    expect(await second.json()).toMatchObject({ error: { code: 'conflict' } })
    expect((await t.api(`/api/v1/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(409)
    answer.open()
    await sse.collect((event) => event.event === 'run.finished')
    // Right after run.finished the session takes the next message.
    const third = await postMessage(t, session.id, { content: 'two' })
    expect(third.status).toBe(202)
    await sse.collect((event) => event.event === 'run.finished')
    sse.close()
  })
})
