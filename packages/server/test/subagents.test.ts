import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { MockTurn } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'

interface Request {
  body?: { messages: Array<{ role: string; content: string | null }> }
}
const agentOf = (request: unknown) =>
  /<agent name="([^"]+)">/.exec((request as Request).body?.messages[0]?.content ?? '')?.[1] ?? 'parent'
const answered = (request: unknown) =>
  (request as Request).body?.messages.some((message) => message.role === 'tool') ?? false

/** The parent delegates to `test`, which wants to write a file; then it answers. */
function script(request: unknown): MockTurn {
  if (agentOf(request) === 'parent')
    return answered(request)
      ? { text: 'The test agent is done.' }
      : {
          toolCalls: [
            { name: 'task', arguments: { agent: 'test', prompt: 'Add a test', description: 'add a test' } },
          ],
        }
  return answered(request)
    ? { text: 'Wrote the test.' }
    : { toolCalls: [{ name: 'write_file', arguments: { path: 'add.test.js', content: 'test\n' } }] }
}

describe("sub-agents' sessions over HTTP", () => {
  it("a child's ask is the parent's, labelled with the agent; /children lists the child", async () => {
    const t = await startTestServer({ script })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'add a test' })
    const untilAsk = await sse.collect(
      (event) =>
        event.event === 'subagent.event' &&
        (event.data as { event: { type: string } }).event.type === 'permission.asked',
    )
    const wrapped = untilAsk.at(-1)?.data as {
      session_id: string
      agent: string
      event: {
        id: string
        tool: string
        agent: string
        sessionId: string
        parentSessionId: string
        session_id: string
        parent_session_id: string
      }
    }
    expect(wrapped).toMatchObject({ session_id: session.id, agent: 'test', event: { tool: 'write_file' } })
    expect(wrapped.event.parentSessionId).toBe(session.id)
    expect(wrapped.event).toMatchObject({
      session_id: wrapped.event.sessionId,
      parent_session_id: session.id,
    })
    const childId = wrapped.event.sessionId

    const pending = (await (await t.api(`/api/v1/permissions?session_id=${session.id}`)).json()) as {
      items: Array<Record<string, unknown>>
    }
    expect(pending.items).toEqual([
      expect.objectContaining({
        id: wrapped.event.id,
        session_id: session.id,
        tool: 'write_file',
        agent: 'test',
        subagent_session_id: childId,
      }),
    ])
    const answer = await t.api(`/api/v1/permissions/${wrapped.event.id}`, {
      method: 'POST',
      json: { reply: 'once' },
    })
    expect(answer.status).toBe(200)
    const rest = await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    expect(rest.at(-1)?.data).toMatchObject({ status: 'completed', text: 'The test agent is done.' })
    expect(existsSync(join(t.workspace, 'add.test.js'))).toBe(true)

    const children = (await (await t.api(`/api/v1/sessions/${session.id}/children`)).json()) as {
      items: Array<Record<string, unknown>>
    }
    expect(children.items).toEqual([
      expect.objectContaining({
        id: childId,
        parent_session_id: session.id,
        agent: 'test',
        title: 'add a test',
        message_count: 4,
      }),
    ])
    const parent = (await (await t.api(`/api/v1/sessions/${session.id}`)).json()) as Record<string, unknown>
    expect(parent).toMatchObject({ parent_session_id: null, agent: null })
    const listed = (await (await t.api('/api/v1/sessions')).json()) as { items: Array<{ id: string }> }
    expect(listed.items.map((item) => item.id)).toEqual([session.id])
    const missing = await t.api('/api/v1/sessions/ses_nothere0000/children')
    expect(missing.status).toBe(404)
  })
})
