import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openStore } from '../src/index.js'
import { registerCleanup, tempDir, tempStore } from './helpers.js'

const text = (t: string) => [{ type: 'text' as const, text: t }]

/** Moves the store's clock on by a millisecond (a fake one), so the next write has a later timestamp. */
function tick(): void {
  const now = Date.now()
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(now + 1)
}

afterEach(() => {
  vi.useRealTimers()
})

// listSessions keeps its records while the database is unchanged; every way the database can
// change must show in the next listing.
describe('listing sessions from memory while nothing changed', () => {
  it('shows every change made through the store', () => {
    const store = tempStore()
    const a = store.createSession({ workspace: '/w' })
    expect(store.listSessions().map((s) => [s.id, s.messageCount])).toEqual([[a.id, 0]])
    store.appendMessages(a.id, [{ role: 'user', parts: text('hi') }])
    expect(store.listSessions().map((s) => [s.id, s.messageCount])).toEqual([[a.id, 1]])
    tick()
    const b = store.createSession({ workspace: '/w' })
    tick()
    store.updateSession(a.id, { title: 'renamed' })
    expect(store.listSessions().map((s) => [s.id, s.title])).toEqual([
      [a.id, 'renamed'],
      [b.id, null],
    ])
    expect(store.listSessions({ limit: 1 }).map((s) => s.id)).toEqual([a.id])
    store.deleteSession(a.id)
    expect(store.listSessions().map((s) => s.id)).toEqual([b.id])
  })

  it('shows what another process (another connection) committed', () => {
    const path = join(tempDir(), 'shared.db')
    const server = openStore({ path })
    registerCleanup(() => server.close())
    const cli = openStore({ path })
    registerCleanup(() => cli.close())
    expect(server.listSessions()).toEqual([])
    const made = cli.createSession({ workspace: '/w' })
    expect(server.listSessions().map((s) => s.id)).toEqual([made.id])
    // Even a write that bypasses the store entirely.
    const raw = new Database(path)
    registerCleanup(() => raw.close())
    raw.prepare("UPDATE sessions SET title = 'from sqlite3' WHERE id = ?").run(made.id)
    expect(server.listSessions()[0]?.title).toBe('from sqlite3')
  })

  it('never keeps what a rolled-back transaction wrote', () => {
    const store = tempStore()
    const kept = store.createSession({ workspace: '/w' })
    expect(store.listSessions().map((s) => s.id)).toEqual([kept.id])
    expect(() =>
      store.transaction(() => {
        store.createSession({ workspace: '/w' })
        // Read inside the transaction: sees its own write, and is not kept.
        expect(store.listSessions()).toHaveLength(2)
        throw new Error('roll back')
      }),
    ).toThrow('roll back')
    expect(store.listSessions().map((s) => s.id)).toEqual([kept.id])
  })

  it('hands each caller its own array of shared, frozen records', () => {
    const store = tempStore()
    store.createSession({ workspace: '/w' })
    store.createSession({ workspace: '/w' })
    const first = store.listSessions()
    first.reverse()
    first.pop()
    expect(store.listSessions()).toHaveLength(2)
    expect(Object.isFrozen(store.listSessions()[0])).toBe(true)
  })
})
