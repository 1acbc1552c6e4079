/**
 * Two servers on one PostgreSQL database (a private cluster for this file): a run on server A is
 * streamed by an SSE client of server B with the same ids in the same order, resumes there with
 * Last-Event-ID, is answered (its permission ask) and cancelled through B, and its session is busy
 * on both. The process boundary does not matter here (the servers share nothing but the database);
 * the CLI test runs two real `penguin serve` processes.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { openPostgresStore, type PostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import type { StreamedEvent } from '../src/index.js'
import { PostgresEventHub } from '../src/index.js'
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

describe('the PostgreSQL event hub', () => {
  /** `count` stores (processes, as far as the database can tell) on one new database. */
  async function processes(count: number): Promise<PostgresStore[]> {
    const databaseUrl = await postgres.database('hub')
    const stores: PostgresStore[] = []
    for (let i = 0; i < count; i++) stores.push(await openPostgresStore(databaseUrl, { maxConnections: 4 }))
    return stores
  }

  it('delivers what two publishers write at once in id order, without a gap, to a third process', async () => {
    const [one, two, reader] = (await processes(3)) as [PostgresStore, PostgresStore, PostgresStore]
    const hubs = await Promise.all([one, two, reader].map((store) => PostgresEventHub.open(store.live)))
    const [first, second, third] = hubs as [PostgresEventHub, PostgresEventHub, PostgresEventHub]
    try {
      const seen: StreamedEvent[] = []
      let done: () => void = () => {}
      const all = new Promise<void>((resolve) => {
        done = resolve
      })
      third.subscribe(
        () => true,
        (event) => {
          seen.push(event)
          if (seen.length === 400) done()
        },
      )
      // Interleaved on purpose: the two processes' batches commit in whatever order the database picks.
      for (let i = 0; i < 200; i++) {
        first.publish('e', { from: 'one', i })
        second.publish('e', { from: 'two', i })
        if (i % 50 === 0) await Promise.all([first.flush(), second.flush()])
      }
      await Promise.all([first.flush(), second.flush()])
      await within(all, 'the 400 events on the third process')
      const ids = seen.map((event) => event.id)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(new Set(ids).size).toBe(400)
      const stored = (await reader.live.eventsAfter(0, { limit: 1_000 })).map((row) => row.id)
      expect(ids).toEqual(stored)
      // Each publisher's own order holds.
      for (const from of ['one', 'two'])
        expect(seen.filter((event) => event.data.from === from).map((event) => event.data.i)).toEqual(
          Array.from({ length: 200 }, (_, i) => i),
        )
    } finally {
      for (const hub of hubs) await hub.close()
      for (const store of [one, two, reader]) await store.close()
    }
  })

  it("a publish-only hub (a worker's) is streamed by other processes and reads nothing back itself", async () => {
    const [worker, server] = (await processes(2)) as [PostgresStore, PostgresStore]
    const reads: string[] = []
    const counted = new Proxy(worker.live, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver)
        if (name !== 'listen' && name !== 'eventsAfter' && name !== 'lastEventId') return value
        return (...args: unknown[]) => {
          reads.push(name)
          return (value as (...args: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const publisher = await PostgresEventHub.open(counted, { publishOnly: true })
    const streaming = await PostgresEventHub.open(server.live)
    try {
      expect(() =>
        publisher.subscribe(
          () => true,
          () => {},
        ),
      ).toThrow(/only publishes/)
      const seen: StreamedEvent[] = []
      const all = new Promise<void>((resolve) => {
        streaming.subscribe(
          () => true,
          (event) => {
            seen.push(event)
            if (seen.length === 30) resolve()
          },
        )
      })
      for (let i = 0; i < 30; i++) {
        publisher.publish('e', { i, run_id: 'run_a' })
        if (i % 10 === 0) await publisher.flush()
      }
      await publisher.flush()
      await within(all, "the worker's 30 events on the server")
      expect(seen.map((event) => event.data.i)).toEqual(Array.from({ length: 30 }, (_, i) => i))
      expect(reads).toEqual([])
    } finally {
      await publisher.close()
      await streaming.close()
      for (const store of [worker, server]) await store.close()
    }
  })

  it('hands on a small batch from its notification, reading the table only for a big one', async () => {
    const [worker, server] = (await processes(2)) as [PostgresStore, PostgresStore]
    const reads: number[] = []
    const counted = new Proxy(server.live, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver)
        if (name !== 'eventsAfter') return value
        return (afterId: number, options?: object) => {
          reads.push(afterId)
          return target.eventsAfter(afterId, options)
        }
      },
    })
    const publisher = await PostgresEventHub.open(worker.live, { publishOnly: true })
    const streaming = await PostgresEventHub.open(counted)
    try {
      const seen: StreamedEvent[] = []
      let expected = 0
      let reached: () => void = () => {}
      streaming.subscribe(
        () => true,
        (event) => {
          seen.push(event)
          if (seen.length === expected) reached()
        },
      )
      const delivered = (count: number) => {
        expected = count
        return new Promise<void>((resolve) => {
          reached = resolve
        })
      }
      let all = delivered(20)
      for (let i = 0; i < 20; i++) {
        publisher.publish('e', { i, text: 'née 🐧' })
        if (i % 5 === 0) await publisher.flush()
      }
      await publisher.flush()
      await within(all, 'the 20 small events on the server')
      // The one read: on connecting (from the id the hub opened at, 0 in a new database).
      expect(reads.filter((afterId) => afterId > 0)).toEqual([])
      all = delivered(21)
      publisher.publish('e', { i: 20, text: 'x'.repeat(10_000) })
      await publisher.flush()
      await within(all, 'the big event on the server')
      expect(reads.filter((afterId) => afterId > 0)).toEqual([seen[19]?.id])
      expect(seen.map((event) => event.data.i)).toEqual(Array.from({ length: 21 }, (_, i) => i))
      const stored = await server.live.eventsAfter(0, { limit: 1_000 })
      expect(seen.map((event) => event.id)).toEqual(stored.map((row) => row.id))
      expect(seen.map((event) => JSON.stringify(event.data))).toEqual(stored.map((row) => row.data))
    } finally {
      await publisher.close()
      await streaming.close()
      for (const store of [worker, server]) await store.close()
    }
  })

  it('hands on the small batches that came while it read the table, without reading again', async () => {
    const [worker, server] = (await processes(2)) as [PostgresStore, PostgresStore]
    const reads: number[] = []
    const readHeld = createGate()
    let holding = false
    const counted = new Proxy(server.live, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver)
        if (name !== 'eventsAfter') return value
        return async (afterId: number, options?: object) => {
          reads.push(afterId)
          const rows = await target.eventsAfter(afterId, options)
          if (holding) await readHeld.promise
          return rows
        }
      },
    })
    const publisher = await PostgresEventHub.open(worker.live, { publishOnly: true })
    const streaming = await PostgresEventHub.open(counted)
    try {
      const seen: StreamedEvent[] = []
      let reached: () => void = () => {}
      let expected = 0
      streaming.subscribe(
        () => true,
        (event) => {
          seen.push(event)
          if (seen.length === expected) reached()
        },
      )
      const delivered = (count: number) => {
        expected = count
        return new Promise<void>((resolve) => {
          reached = resolve
        })
      }
      const opened = reads.length
      // A big batch is read from the table; that read is held while ten small batches commit.
      holding = true
      let all = delivered(11)
      publisher.publish('e', { i: 0, text: 'x'.repeat(10_000) })
      await publisher.flush()
      await until(() => reads.length > opened, { what: 'the read of the big batch' })
      for (let i = 1; i <= 10; i++) {
        publisher.publish('e', { i })
        await publisher.flush()
      }
      const stored = async () => (await server.live.eventsAfter(0, { limit: 1_000 })).length
      await until(async () => (await stored()) === 11, { what: 'the ten small batches stored' })
      holding = false
      readHeld.open()
      await within(all, 'the 11 events on the server')
      expect(reads.length - opened).toBe(1)
      all = delivered(12)
      publisher.publish('e', { i: 11 })
      await publisher.flush()
      await within(all, 'one more small batch')
      expect(reads.length - opened).toBe(1)
      expect(seen.map((event) => event.data.i)).toEqual(Array.from({ length: 12 }, (_, i) => i))
    } finally {
      readHeld.open()
      await publisher.close()
      await streaming.close()
      for (const store of [worker, server]) await store.close()
    }
  })

  it('resumes from the database, and resyncs a client whose events were pruned', async () => {
    const [store] = (await processes(1)) as [PostgresStore]
    const hub = await PostgresEventHub.open(store.live, { retention: { keepEvents: 5 }, pruneIntervalMs: 0 })
    try {
      for (let i = 0; i < 10; i++) hub.publish('e', { i, session_id: 'ses_a' })
      await hub.flush()
      const ids = (await store.live.eventsAfter(0)).map((row) => row.id)
      /** What a subscriber resuming after `afterId` gets, up to the newest event or a resync. */
      const replay = async (afterId: number, sessionId?: string) => {
        const got: StreamedEvent[] = []
        let stop: () => void = () => {}
        await within(
          new Promise<void>((resolve) => {
            stop = hub.subscribe(
              () => true,
              (event) => {
                got.push(event)
                if (event.id === ids.at(-1) || event.event === 'resync') resolve()
              },
              afterId,
              sessionId,
            )
          }),
          'the replay',
        )
        stop()
        return got
      }
      expect((await replay(ids[6] as number, 'ses_a')).map((event) => event.data.i)).toEqual([7, 8, 9])
      await hub.prune()
      expect(await store.live.prunedThrough()).toBe(ids[4])
      const gone = await replay(ids[1] as number, 'ses_a')
      expect(gone).toEqual([
        expect.objectContaining({
          event: 'resync',
          id: ids.at(-1),
          data: expect.objectContaining({ session_id: 'ses_a', last_event_id: ids[1] }),
        }),
      ])
      expect((await replay(ids[4] as number)).map((event) => event.data.i)).toEqual([5, 6, 7, 8, 9])
    } finally {
      await hub.close()
      await store.close()
    }
  })
})
