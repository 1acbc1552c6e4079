/**
 * Two servers on one PostgreSQL database (a private cluster for this file): a run on server A is
 * streamed by an SSE client of server B with the same ids in the same order, resumes there with
 * Last-Event-ID, is answered (its permission ask) and cancelled through B, and its session is busy
 * on both. The process boundary does not matter here (the servers share nothing but the database);
 * the CLI test runs two real `penguin serve` processes.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { describe, expect, it } from 'vitest'
import {
  allEvents,
  createSession,
  postMessage,
  sessionEvents,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './helpers.js'
import { openSse, type SseEvent } from './sse-client.js'

const postgres = usePostgresCluster()

/**
 * Server A runs the model's script (prompts are queued; A's one in-process worker takes them);
 * server B shares A's database and root and runs nothing.
 */
async function twoServers(script: TestServerOptions['script']): Promise<{ a: TestServer; b: TestServer }> {
  const databaseUrl = await postgres.database('shared')
  const shared = { dbPath: undefined, databaseUrl, sandbox: { mode: 'off' as const } }
  const a = await startTestServer({ ...shared, workers: 1, script })
  const b = await startTestServer({ ...shared, root: a.root })
  return { a, b }
}

const finished = (event: SseEvent) => event.event === 'run.finished'
const frames = (events: SseEvent[]) => events.map((event) => `${event.id} ${event.event}`)

// Each test migrates a fresh database (the store's and pg-boss's schemas) and starts two servers:
// seconds when idle, past the package's 20 s default on a loaded 2-core machine (seen at load 34).
describe('servers sharing a PostgreSQL database', { timeout: 60_000 }, () => {
  it("streams A's run to B with the same ids, resumes on B, and takes B's answer to A's permission ask", async () => {
    const { a, b } = await twoServers([
      {
        text: 'Writing.',
        toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'hi\n' } }],
      },
      { text: 'Wrote it.' },
    ])
    const session = await createSession(a, { workspace: a.workspace })
    const onA = await sessionEvents(a, session.id)
    const onB = await sessionEvents(b, session.id)
    const posted = await postMessage(a, session.id, { content: 'write notes' })
    expect(posted.status).toBe(202)
    const { run_id: runId } = (await posted.json()) as { run_id: string }

    const untilAsk = await onB.collect((event) => event.event === 'permission.asked')
    const asked = untilAsk.at(-1)?.data as { id: string }
    // B lists A's ask, and the session is busy on B too.
    const listed = (await (await b.api(`/api/v1/permissions?session_id=${session.id}`)).json()) as {
      items: { id: string; run_id: string }[]
    }
    expect(listed.items).toEqual([expect.objectContaining({ id: asked.id, run_id: runId })])
    const busy = await postMessage(b, session.id, { content: 'x' })
    expect(busy.status).toBe(409)
    expect(await busy.json()).toMatchObject({ error: { details: { active_run_id: runId } } })

    const answered = await b.api(`/api/v1/permissions/${asked.id}`, {
      method: 'POST',
      json: { reply: 'once' },
    })
    expect(answered.status).toBe(200)
    expect(await answered.json()).toEqual({ id: asked.id, reply: 'once' })
    // The database took the first answer: a second one, on either server, finds nothing pending.
    const again = await a.api(`/api/v1/permissions/${asked.id}`, {
      method: 'POST',
      json: { reply: 'reject' },
    })
    expect(again.status).toBe(404)

    const restB = await onB.collect(finished)
    let allA = await onA.collect(finished)
    onA.close()
    onB.close()
    // Both streams were open before the prompt: from its run.started on they saw the same events
    // (what committed before that, e.g. the session's creation, one may have seen and the other not).
    const fromRun = (events: SseEvent[]) =>
      events.slice(events.findIndex((event) => event.event === 'run.started'))
    const allB = fromRun([...untilAsk, ...restB])
    allA = fromRun(allA)
    expect(frames(allB)).toEqual(frames(allA))
    expect(allB.map((event) => event.data)).toEqual(allA.map((event) => event.data))
    expect(restB.find((event) => event.event === 'permission.answered')?.data).toMatchObject({
      reply: 'once',
    })
    expect(restB.at(-1)?.data).toMatchObject({ status: 'completed', run_id: runId })
    const ids = allB.map((event) => event.id as number)
    expect([...ids].sort((x, y) => x - y)).toEqual(ids)

    // Resuming on B from the middle of the run replays exactly what followed, with the same ids.
    const middle = allA[Math.floor(allA.length / 2)] as SseEvent
    const resumed = await openSse(`${b.server.url}/api/v1/sessions/${session.id}/events`, {
      authorization: `Bearer ${b.token}`,
      'last-event-id': String(middle.id),
    })
    const replayed = await resumed.collect(finished)
    resumed.close()
    expect(frames(replayed)).toEqual(frames(allA.slice(allA.indexOf(middle) + 1)))

    // B reports the run A ran, and the session is free on both.
    expect(await (await b.api(`/api/v1/runs/${runId}`)).json()).toMatchObject({
      id: runId,
      session_id: session.id,
      status: 'completed',
      text: 'Wrote it.',
    })
    expect((await b.api(`/api/v1/permissions`)).status).toBe(200)
  })

  it("cancels A's run through B: aborted on every stream, 409 once over, 404 for no such run", async () => {
    const never = createGate()
    const { a, b } = await twoServers([
      { text: 'a long answer that stops half way', holdUntil: never.promise, holdAfterChunks: 2 },
    ])
    const session = await createSession(a, { workspace: a.workspace })
    const onB = await sessionEvents(b, session.id)
    const posted = await postMessage(a, session.id, { content: 'talk' })
    const { run_id: runId } = (await posted.json()) as { run_id: string }
    await onB.collect((event) => event.event === 'text.delta')

    const cancelled = await b.api(`/api/v1/runs/${runId}/cancel`, { method: 'POST', json: {} })
    expect(cancelled.status).toBe(202)
    expect(await cancelled.json()).toMatchObject({ id: runId, session_id: session.id, status: 'running' })
    const rest = await onB.collect(finished)
    onB.close()
    expect(rest.at(-1)).toMatchObject({ event: 'run.finished', data: { status: 'aborted', run_id: runId } })

    const late = await b.api(`/api/v1/runs/${runId}/cancel`, { method: 'POST', json: {} })
    expect(late.status).toBe(409)
    const unknown = await b.api('/api/v1/runs/run_nothing_like_it/cancel', { method: 'POST', json: {} })
    expect(unknown.status).toBe(404)
    expect(await (await b.api(`/api/v1/runs/${runId}`)).json()).toMatchObject({ status: 'aborted' })
  })

  it("streams store changes made through A (a task edited) to B's clients with A's ids", async () => {
    const { a, b } = await twoServers([])
    const onA = await allEvents(a)
    const onB = await allEvents(b)
    const project = (await (
      await a.api('/api/v1/projects', { method: 'POST', json: { name: 'shop' } })
    ).json()) as {
      id: number
    }
    const task = (await (
      await a.api(`/api/v1/projects/${project.id}/tasks`, { method: 'POST', json: { title: 'schema' } })
    ).json()) as { id: number }
    const edited = await a.api(`/api/v1/tasks/${task.id}`, { method: 'PATCH', json: { title: 'schema v2' } })
    expect(edited.status).toBe(200)
    const isEdit = (event: SseEvent) => event.event === 'task.updated'
    const seenB = await onB.collect(isEdit)
    const seenA = await onA.collect(isEdit)
    onA.close()
    onB.close()
    expect(frames(seenB)).toEqual(frames(seenA))
    expect(seenB.map((event) => event.event)).toEqual(['project.created', 'task.created', 'task.updated'])
    expect(seenB.at(-1)?.data).toMatchObject({
      project_id: project.id,
      task_id: task.id,
      task: { id: task.id, title: 'schema v2' },
    })
  })
})
