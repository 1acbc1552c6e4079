/**
 * The PostgreSQL event hub between processes (stores on one database of a private cluster): id
 * order without gaps from concurrent publishers, publish-only hubs, small batches handed on from
 * their notification rather than read back, and resuming or resyncing from the table.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { openPostgresStore, type PostgresLive, type PostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import type { StreamedEvent } from '../src/index.js'
import { PostgresEventHub } from '../src/index.js'

const postgres = usePostgresCluster()

/**
 * `live` with its `eventsAfter` calls recorded (the id each read from); `hold`, when it returns a
 * promise, keeps a read's rows until it settles.
 */
function countingReads(
  live: PostgresLive,
  hold: () => Promise<unknown> | undefined = () => undefined,
): { live: PostgresLive; reads: number[] } {
  const reads: number[] = []
  const counted = new Proxy(live, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver)
      if (name !== 'eventsAfter') return value
      return async (afterId: number, options?: object) => {
        reads.push(afterId)
        const rows = await target.eventsAfter(afterId, options)
        await hold()
        return rows
      }
    },
  })
  return { live: counted, reads }
}

/** Every event `hub` delivers, and `delivered(n)`: settles once n events have been seen. */
function collect(hub: PostgresEventHub): {
  seen: StreamedEvent[]
  delivered: (count: number) => Promise<void>
} {
  const seen: StreamedEvent[] = []
  let expected = 0
  let reached: () => void = () => {}
  hub.subscribe(
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
  return { seen, delivered }
}

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
      const { seen, delivered } = collect(third)
      const all = delivered(400)
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
      const { seen, delivered } = collect(streaming)
      const all = delivered(30)
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
    const { live: counted, reads } = countingReads(server.live)
    const publisher = await PostgresEventHub.open(worker.live, { publishOnly: true })
    const streaming = await PostgresEventHub.open(counted)
    try {
      const { seen, delivered } = collect(streaming)
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
    const readHeld = createGate()
    let holding = false
    const { live: counted, reads } = countingReads(server.live, () =>
      holding ? readHeld.promise : undefined,
    )
    const publisher = await PostgresEventHub.open(worker.live, { publishOnly: true })
    const streaming = await PostgresEventHub.open(counted)
    try {
      const { seen, delivered } = collect(streaming)
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
