/** Sub-agents' sessions (the `task` tool's children) on both backends: the tree, lists, deletion. */
import { describe, expect, it } from 'vitest'
import { NotFoundError } from '../src/index.js'
import { BACKENDS, openBackend } from './helpers.js'

const text = (t: string) => [{ type: 'text' as const, text: t }]

describe.each(BACKENDS)("sub-agents' sessions on %s", (backend) => {
  it('keep the tree: parent id and agent on the record, children listed under the parent only', async () => {
    const store = await openBackend(backend)
    const root = await store.createSession({ workspace: '/w', title: 'root' })
    const a = await store.createSession({
      workspace: '/w',
      parentSessionId: root.id,
      agent: 'explore',
      title: 'a',
    })
    const b = await store.createSession({
      workspace: '/w',
      parentSessionId: root.id,
      agent: 'review',
      title: 'b',
    })
    const grandchild = await store.createSession({ workspace: '/w', parentSessionId: a.id, agent: 'test' })
    expect(root).toMatchObject({ parentSessionId: null, agent: null })
    expect(await store.requireSession(a.id)).toMatchObject({ parentSessionId: root.id, agent: 'explore' })
    // Top-level lists and --continue never pick a sub-agent's session, however recent.
    expect((await store.listSessions({ workspace: '/w' })).map((s) => s.id)).toEqual([root.id])
    expect((await store.latestSession('/w'))?.id).toBe(root.id)
    expect((await store.listSessions({ parentSessionId: root.id })).map((s) => s.id)).toEqual([a.id, b.id])
    expect((await store.listSessions({ parentSessionId: a.id })).map((s) => s.id)).toEqual([grandchild.id])
    await expect(store.createSession({ workspace: '/w', parentSessionId: 'ses_missing' })).rejects.toThrow(
      NotFoundError,
    )
  })

  it('go with their parent when it is deleted', async () => {
    const store = await openBackend(backend)
    const root = await store.createSession({ workspace: '/w' })
    const child = await store.createSession({ workspace: '/w', parentSessionId: root.id, agent: 'explore' })
    const grandchild = await store.createSession({
      workspace: '/w',
      parentSessionId: child.id,
      agent: 'test',
    })
    await store.appendMessages(grandchild.id, [{ role: 'user', parts: text('hi') }])
    await store.deleteSession(root.id)
    expect(await store.getSession(child.id)).toBeUndefined()
    expect(await store.getSession(grandchild.id)).toBeUndefined()
  })
})
