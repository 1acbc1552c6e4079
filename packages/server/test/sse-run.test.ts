import { until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { allEvents, createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'
import { openSse, type SseEvent } from './sse-client.js'

const READ_THEN_ANSWER = [
  { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
  { text: 'It is a sample.', usage: { prompt_tokens: 2000, completion_tokens: 10, cached_tokens: 1536 } },
]

const finished = (event: SseEvent) => event.event === 'run.finished'

describe('a run streamed over SSE', () => {
  it('streams every engine event of the run with increasing ids, then stores the conversation', async () => {
    const t = await startTestServer({ script: READ_THEN_ANSWER })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    expect(sse.status).toBe(200)
    const posted = await postMessage(t, session.id, { content: 'what is in the README?' })
    expect(posted.status).toBe(202)
    const { run_id: runId } = (await posted.json()) as { run_id: string }

    const events = await sse.collect(finished)
    sse.close()
    const types = events.map((event) => event.event).filter((type) => type !== 'text.delta')
    expect(types).toEqual([
      'run.started',
      'turn.started',
      'usage',
      'tool.started',
      'tool.finished',
      'turn.started',
      'usage',
      'run.finished',
    ])
    expect(events.filter((event) => event.event === 'text.delta').length).toBeGreaterThanOrEqual(2)
    const ids = events.map((event) => event.id ?? 0)
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0))).toBe(true)
    expect(sse.raw).toMatch(/^id: \d+\nevent: run\.started\ndata: \{/m)
    for (const event of events) {
      // The engine event as emitted, plus session_id and run_id.
      expect(event.data).toMatchObject({ session_id: session.id, run_id: runId, runId, type: event.event })
    }
    expect(events.at(-1)?.data).toMatchObject({ status: 'completed', text: 'It is a sample.' })
    const tool = events.find((event) => event.event === 'tool.finished')
    expect(tool?.data).toMatchObject({ tool: 'read_file', isError: false })

    // run.finished is sent once the messages are stored and the session is free again.
    const run = (await (await t.api(`/api/v1/runs/${runId}`)).json()) as Record<string, unknown>
    expect(run).toMatchObject({
      id: runId,
      session_id: session.id,
      status: 'completed',
      text: 'It is a sample.',
    })
    // Prompt-cache reads are reported apart, in the run, the session and its messages.
    expect(run.usage).toMatchObject({
      cache_read_tokens: 1536,
      cache_write_tokens: 0,
      cached_input_tokens: 1536,
    })
    expect(run.finished_at).toEqual(expect.any(String))
    const messages = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { role: string; parts: { type: string }[]; input_tokens: number; cache_read_tokens: number }[]
    }
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(messages.items[2]?.parts[0]).toMatchObject({
      type: 'tool_result',
      tool_call_id: expect.any(String),
      is_error: false,
    })
    const stored = (await (await t.api(`/api/v1/sessions/${session.id}`)).json()) as Record<string, unknown>
    expect(stored).toMatchObject({ message_count: 4, active_run_id: null, title: 'what is in the README?' })
    expect(stored).toMatchObject({ cache_read_tokens: 1536, cache_write_tokens: 0 })
    expect(messages.items[3]).toMatchObject({ input_tokens: 2000, cache_read_tokens: 1536 })
  })

  it('resumes after a dropped connection with Last-Event-ID, replaying exactly what was missed', async () => {
    const t = await startTestServer({ script: READ_THEN_ANSWER })
    const session = await createSession(t)
    const url = `${t.server.url}/api/v1/sessions/${session.id}/events`
    const auth = { authorization: `Bearer ${t.token}` }
    const first = await openSse(url, auth)
    await postMessage(t, session.id, { content: 'look' })
    const seen = await first.collect((event) => event.event === 'tool.started')
    first.close()
    const lastId = seen.at(-1)?.id ?? 0

    // Everything, from an uninterrupted subscriber on the global stream, for comparison.
    const all = await openSse(`${t.server.url}/api/v1/events`, { ...auth, 'last-event-id': '0' })
    const everything = await all.collect(finished)
    all.close()

    const resumed = await openSse(url, { ...auth, 'last-event-id': String(lastId) })
    const rest = await resumed.collect(finished)
    resumed.close()
    expect(rest[0]?.id).toBe(lastId + 1)
    expect([...seen, ...rest].map((event) => event.id)).toEqual(everything.map((event) => event.id))
  })

  it('sends a ping comment to keep proxies open', async () => {
    const t = await startTestServer({ script: [] })
    t.server.runtime.pingIntervalMs = 50
    const sse = await allEvents(t)
    await sse.waitForRaw(': ping\n\n')
    sse.close()
    // The server lets go of a stream whose client left (it notices the closed socket; polled).
    const subscribers = async () =>
      Number((await (await t.api('/metrics')).text()).match(/^penguin_event_subscribers (\d+)$/m)?.[1])
    await until(async () => (await subscribers()) === 0)
  })
})
