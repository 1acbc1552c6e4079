import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { isAlive, pidsWith, until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'
import { openSse, type SseEvent } from './sse-client.js'

/** A scripted turn: run_command printing `bytes` bytes. */
const loud = (bytes: number) => ({
  toolCalls: [{ name: 'run_command', arguments: { command: `head -c ${bytes} /dev/zero | tr '\\0' x` } }],
})

describe('the replay buffer is bounded in bytes', () => {
  it('drops a session’s oldest events; a client resuming past the window gets resync', async () => {
    // Each command prints 200 kB (its event carries it); the session's window is 256 kB.
    const t = await startTestServer({
      script: [loud(200_000), loud(200_000), loud(200_000), { text: 'done' }],
      replay: { maxSessionBytes: 256 * 1024 },
    })
    const session = await createSession(t, { auto_approve: true })
    const headers = { authorization: `Bearer ${t.token}` }
    const live = await openSse(`${t.server.url}/api/v1/sessions/${session.id}/events`, headers)
    expect((await postMessage(t, session.id, { content: 'go' })).status).toBe(202)
    const events = await live.collect((event) => event.event === 'run.finished')
    live.close()
    const firstId = events[0]!.id!
    const lastId = events.at(-1)!.id!

    // From the start: the early events are gone, so no partial replay but a resync.
    const early = await openSse(`${t.server.url}/api/v1/sessions/${session.id}/events`, {
      ...headers,
      'last-event-id': String(firstId),
    })
    const resync = await early.next()
    early.close()
    expect(resync).toMatchObject({
      event: 'resync',
      id: lastId,
      data: { session_id: session.id, last_event_id: firstId },
    })
    expect(String(resync!.data.reason)).toMatch(/reload the history/)

    // From a recent id: a plain replay, nothing missed.
    const recent = await openSse(`${t.server.url}/api/v1/sessions/${session.id}/events`, {
      ...headers,
      'last-event-id': String(lastId - 1),
    })
    expect(await recent.next()).toMatchObject({ id: lastId, event: 'run.finished' })
    recent.close()
    // The stored history is whole: that is what a resyncing client reloads.
    const messages = (await (await t.api(`/api/v1/sessions/${session.id}/messages`)).json()) as {
      items: { role: string }[]
    }
    expect(messages.items.filter((message) => message.role === 'tool')).toHaveLength(3)
  })

  it('a client of an earlier server process (an id this one never issued) gets resync', async () => {
    const t = await startTestServer()
    const session = await createSession(t)
    const stream = await openSse(`${t.server.url}/api/v1/sessions/${session.id}/events`, {
      authorization: `Bearer ${t.token}`,
      'last-event-id': '12345',
    })
    expect(await stream.next()).toMatchObject({ event: 'resync', data: { last_event_id: 12345 } })
    stream.close()
  })
})

describe('POST /runs/{id}/cancel', () => {
  it('ends the run although its command ignores SIGTERM; the command is then killed', async () => {
    // In the sandbox (the default) the command's pids are its PID namespace's own: the host's
    // processes are found by a marker in their command lines.
    const marker = `300.${Math.floor(Math.random() * 1e9)}`
    const t = await startTestServer({
      script: [
        {
          toolCalls: [
            {
              name: 'run_command',
              arguments: {
                command: `trap '' TERM; sh -c 'trap "" TERM; echo $$ > ready.fifo; exec sleep ${marker}' & wait`,
              },
            },
          ],
        },
        { text: 'never reached' },
      ],
    })
    execFileSync('mkfifo', [join(t.workspace, 'ready.fifo')])
    const session = await createSession(t, { auto_approve: true })
    const headers = { authorization: `Bearer ${t.token}` }
    const stream = await openSse(`${t.server.url}/api/v1/sessions/${session.id}/events`, headers)
    const posted = await postMessage(t, session.id, { content: 'go' })
    const { run_id } = (await posted.json()) as { run_id: string }
    // The command is running once it has written its pid.
    await readFile(join(t.workspace, 'ready.fifo'), 'utf8')
    expect(pidsWith(marker).length).toBeGreaterThan(0)
    const cancelled = await t.api(`/api/v1/runs/${run_id}/cancel`, { method: 'POST', json: {} })
    expect(cancelled.status).toBe(202)
    const rest = await stream.collect((event) => event.event === 'run.finished')
    stream.close()
    expect(rest.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'aborted' } })
    expect((await (await t.api(`/api/v1/runs/${run_id}`)).json()) as { status: string }).toMatchObject({
      status: 'aborted',
    })
    // The command's tree does not outlive the cancel: SIGKILL follows the ignored SIGTERM.
    // A process's death has no event to wait on: poll, with until()'s generous bound.
    await until(() => pidsWith(marker).every((pid) => !isAlive(pid)))
  })
})

describe('POST /runs/{id}/cancel ends the run whatever it is doing', () => {
  /** Posts `content`, waits for `ready` on the session's stream, cancels; the events after it. */
  async function cancelWhen(
    t: Awaited<ReturnType<typeof startTestServer>>,
    ready: (event: SseEvent) => boolean,
  ): Promise<{ runId: string; sessionId: string; rest: SseEvent[] }> {
    const session = await createSession(t, { auto_approve: true })
    const stream = await sessionEvents(t, session.id)
    const posted = await postMessage(t, session.id, { content: 'go' })
    const { run_id } = (await posted.json()) as { run_id: string }
    await stream.collect(ready)
    const cancelled = await t.api(`/api/v1/runs/${run_id}/cancel`, { method: 'POST', json: {} })
    expect(cancelled.status).toBe(202)
    const rest = await stream.collect((event) => event.event === 'run.finished')
    stream.close()
    return { runId: run_id, sessionId: session.id, rest }
  }

  it('a model stream that stalls mid-answer (held until the client leaves)', async () => {
    const never = createGate()
    const t = await startTestServer({
      script: [{ text: 'a long answer that stops half way', holdUntil: never.promise, holdAfterChunks: 3 }],
    })
    const { runId, rest } = await cancelWhen(t, (event) => event.event === 'text.delta')
    expect(rest.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'aborted' } })
    expect(await (await t.api(`/api/v1/runs/${runId}`)).json()).toMatchObject({ status: 'aborted' })
  })

  it('a grep over a big tree, with the cancel bound set by the test: aborted, published once, the session freed', async () => {
    const t = await startTestServer({
      cancelTimeoutMs: 1,
      script: [
        { toolCalls: [{ name: 'grep', arguments: { pattern: '^(needle)+$', path: '.' } }] },
        { text: 'x' },
      ],
    })
    const line = `${'haystack '.repeat(200)}\n`
    for (let dir = 0; dir < 40; dir++) {
      mkdirSync(join(t.workspace, `d${dir}`))
      for (let file = 0; file < 50; file++)
        writeFileSync(join(t.workspace, `d${dir}`, `f${file}.txt`), line.repeat(20))
    }
    const { runId, sessionId, rest } = await cancelWhen(
      t,
      (event) => event.event === 'tool.started' && (event.data as { tool?: string }).tool === 'grep',
    )
    expect(rest.filter((event) => event.event === 'run.finished')).toHaveLength(1)
    expect(rest.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'aborted' } })
    expect(await (await t.api(`/api/v1/runs/${runId}`)).json()).toMatchObject({ status: 'aborted' })
    // Busy (409) until the engine has let go; then the session takes the next message.
    await until(async () => {
      const next = await postMessage(t, sessionId, { content: 'again' })
      return next.status === 202
    })
  })
})
