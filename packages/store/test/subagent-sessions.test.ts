import { describe, expect, it } from 'vitest'
import { NotFoundError } from '../src/index.js'
import { tempStore } from './helpers.js'

const text = (t: string) => [{ type: 'text' as const, text: t }]

describe("sub-agents' sessions", () => {
  it('keep the tree: parent id and agent on the record, children listed under the parent only', () => {
    const store = tempStore()
    const root = store.createSession({ workspace: '/w', title: 'root' })
    const a = store.createSession({ workspace: '/w', parentSessionId: root.id, agent: 'explore', title: 'a' })
    const b = store.createSession({ workspace: '/w', parentSessionId: root.id, agent: 'review', title: 'b' })
    const grandchild = store.createSession({ workspace: '/w', parentSessionId: a.id, agent: 'test' })
    expect(root).toMatchObject({ parentSessionId: null, agent: null })
    expect(store.requireSession(a.id)).toMatchObject({ parentSessionId: root.id, agent: 'explore' })
    // Top-level lists and --continue never pick a sub-agent's session, however recent.
    expect(store.listSessions({ workspace: '/w' }).map((s) => s.id)).toEqual([root.id])
    expect(store.latestSession('/w')?.id).toBe(root.id)
    expect(store.listSessions({ parentSessionId: root.id }).map((s) => s.id)).toEqual([a.id, b.id])
    expect(store.listSessions({ parentSessionId: a.id }).map((s) => s.id)).toEqual([grandchild.id])
    expect(() => store.createSession({ workspace: '/w', parentSessionId: 'ses_missing' })).toThrow(
      NotFoundError,
    )
  })

  it('go with their parent when it is deleted', () => {
    const store = tempStore()
    const root = store.createSession({ workspace: '/w' })
    const child = store.createSession({ workspace: '/w', parentSessionId: root.id, agent: 'explore' })
    const grandchild = store.createSession({ workspace: '/w', parentSessionId: child.id, agent: 'test' })
    store.appendMessages(grandchild.id, [{ role: 'user', parts: text('hi') }])
    store.deleteSession(root.id)
    expect(store.getSession(child.id)).toBeUndefined()
    expect(store.getSession(grandchild.id)).toBeUndefined()
  })
})
