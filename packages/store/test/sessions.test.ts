import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { newSessionId } from '../src/ids.js'
import { NotFoundError, type Session, ValidationError } from '../src/index.js'
import { BACKENDS, openBackend, registerCleanup, setupBackend, tempStore } from './helpers.js'

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

describe.each(BACKENDS)('sessions (%s)', (backend) => {
  it('takes an id made beforehand, and refuses one that is not a session id or is taken', async () => {
    const { store } = await setupBackend(backend)
    const id = newSessionId()
    const session = await store.createSession({ id, workspace: '/work/web' })
    expect(session.id).toBe(id)
    expect((await store.getSession(id))?.workspace).toBe('/work/web')
    await expect(store.createSession({ id: 'ses_../../x', workspace: '/w' })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(store.createSession({ id, workspace: '/w' })).rejects.toThrow()
    expect(await store.listSessions()).toHaveLength(1)
  })

  it('creates, gets, updates, lists and deletes sessions', async () => {
    const { store, projectId } = await setupBackend(backend)
    const a = await store.createSession({
      workspace: '/work/web/',
      model: 'gpt-x',
      title: 'fix login',
      projectId,
    })
    expect(a).toMatchObject({
      title: 'fix login',
      workspace: '/work/web',
      model: 'gpt-x',
      projectId,
      parentId: null,
      forkedFromCheckpointId: null,
      autoApprove: false,
      messageCount: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    })
    expect(a.id).toMatch(/^ses_[0-9a-z]{17}$/)
    expect(a.createdAt).toBe(a.updatedAt)
    expect(await store.getSession(a.id)).toEqual(a)
    expect(await store.getSession('ses_nope')).toBeUndefined()

    const b = await store.createSession({ workspace: '/work/api' })
    expect(b).toMatchObject({ title: null, model: null, projectId: null })
    expect(b.id > a.id).toBe(true)

    tick()
    const renamed = await store.updateSession(a.id, { title: 'fix the login', model: null })
    expect(renamed).toMatchObject({ title: 'fix the login', model: null })
    expect((await store.listSessions()).map((s) => s.id)).toEqual([a.id, b.id])
    expect((await store.listSessions({ workspace: '/work/api' })).map((s) => s.id)).toEqual([b.id])
    expect((await store.listSessions({ projectId })).map((s) => s.id)).toEqual([a.id])
    expect(await store.listSessions({ limit: 1 })).toHaveLength(1)
    expect(await store.listSessions({ limit: 0 })).toEqual([])
    expect((await store.listSessions({ workspace: '/work/web', projectId })).map((s) => s.id)).toEqual([a.id])
    expect(await store.listSessions({ workspace: '/work/api', projectId })).toEqual([])

    expect(await store.deleteSession(b.id)).toEqual({ commits: [] })
    expect(await store.getSession(b.id)).toBeUndefined()
    await expect(store.deleteSession(b.id)).rejects.toThrow(NotFoundError)
    await expect(store.updateSession(b.id, { title: 'x' })).rejects.toThrow(`session "${b.id}" not found`)
  })

  it.runIf(backend === 'sqlite')(
    'lists sessions across workspaces in index order, without sorting them all',
    () => {
      const store = tempStore()
      const check = new Database(store.path, { readonly: true })
      registerCleanup(() => check.close())
      const plan = check
        .prepare('EXPLAIN QUERY PLAN SELECT id FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 20')
        .all() as { detail: string }[]
      const details = plan.map((step) => step.detail).join('; ')
      expect(details).toContain('sessions_updated_idx')
      expect(details).not.toContain('TEMP B-TREE')
    },
  )

  it('stores auto_approve with the session: created, listed, updated, kept by a fork, refused when not a flag', async () => {
    const { store } = await setupBackend(backend)
    const on = await store.createSession({ workspace: '/work/web', autoApprove: true })
    const off = await store.createSession({ workspace: '/work/web' })
    expect(on.autoApprove).toBe(true)
    expect(off.autoApprove).toBe(false)
    expect((await store.getSession(on.id))?.autoApprove).toBe(true)
    const listed = await store.listSessions({ workspace: '/work/web' })
    expect(Object.fromEntries(listed.map((session) => [session.id, session.autoApprove]))).toEqual({
      [on.id]: true,
      [off.id]: false,
    })
    expect((await store.forkSession(on.id)).autoApprove).toBe(true)
    expect((await store.updateSession(on.id, { autoApprove: false })).autoApprove).toBe(false)
    expect((await store.requireSession(on.id)).autoApprove).toBe(false)
    await expect(
      store.createSession({ workspace: '/w', autoApprove: 'yes' as unknown as boolean }),
    ).rejects.toBeInstanceOf(ValidationError)
  })

  it('finds a session by a unique prefix, with or without ses_', async () => {
    const store = await openBackend(backend)
    const a = await store.createSession({ workspace: '/w' })
    const body = a.id.slice('ses_'.length)
    expect((await store.requireSession(a.id)).id).toBe(a.id)
    expect((await store.requireSession(a.id.slice(0, 12))).id).toBe(a.id)
    expect((await store.requireSession(body.slice(0, 6))).id).toBe(a.id)
    expect((await store.requireSession(body.slice(0, 6).toUpperCase())).id).toBe(a.id)
    // Too short to be a prefix, or matching nothing.
    await expect(store.requireSession(body.slice(0, 3))).rejects.toThrow(
      `session "${body.slice(0, 3)}" not found`,
    )
    await expect(store.requireSession('ses_')).rejects.toThrow(NotFoundError)
    await expect(store.requireSession('zzzzzzzz')).rejects.toThrow(new NotFoundError('session', 'zzzzzzzz'))
    await expect(store.requireSession('')).rejects.toThrow(ValidationError)

    const b = await store.createSession({ workspace: '/w' })
    let common = 0
    while (a.id[common] === b.id[common]) common++
    const shared = a.id.slice(0, common)
    if (common >= 'ses_'.length + 4) {
      let error: unknown
      try {
        await store.requireSession(shared)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(ValidationError)
      expect(String(error)).toContain(a.id)
      expect(String(error)).toContain(b.id)
    }
    expect((await store.requireSession(b.id.slice(0, common + 1))).id).toBe(b.id)
  })

  it('reports an ambiguous prefix with its candidates', async () => {
    const store = await openBackend(backend)
    // Sessions created in the same millisecond share their 13-character time prefix.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-05-01T12:00:00Z'))
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await store.createSession({ workspace: '/w' })).id)
    vi.useRealTimers()
    const prefix = ids[0]?.slice(0, 10) ?? ''
    await expect(store.requireSession(prefix)).rejects.toThrow(/is ambiguous: it matches ses_/)
    try {
      await store.requireSession(prefix)
    } catch (error) {
      for (const id of ids) expect((error as Error).message).toContain(id)
    }
  })

  it('latestSession is the most recently active one of exactly that workspace', async () => {
    const store = await openBackend(backend)
    expect(await store.latestSession('/w')).toBeUndefined()
    const a = await store.createSession({ workspace: '/w' })
    const b = await store.createSession({ workspace: '/w' })
    await store.createSession({ workspace: '/w/sub' })
    expect((await store.latestSession('/w'))?.id).toBe(b.id)
    // Activity on `a` makes it the latest.
    tick()
    await store.appendMessages(a.id, [{ role: 'user', parts: text('hi') }])
    expect((await store.latestSession('/w'))?.id).toBe(a.id)
    expect((await store.latestSession('/w/'))?.id).toBe(a.id)
    expect((await store.listSessions({ workspace: '/w' }))[0]?.id).toBe(a.id)
  })

  it('rejects bad input', async () => {
    const store = await openBackend(backend)
    await expect(store.createSession({ workspace: '' })).rejects.toThrow(ValidationError)
    await expect(store.createSession({ workspace: 'relative/dir' })).rejects.toThrow(/absolute path/)
    await expect(store.createSession({ workspace: '/w', projectId: 99 })).rejects.toThrow(NotFoundError)
    const session = await store.createSession({ workspace: '/w' })
    await expect(store.appendMessages(session.id, [{ role: 'user', parts: [] }])).rejects.toThrow(/no parts/)
    await expect(
      store.appendMessages(session.id, [{ role: 'system' as 'user', parts: text('x') }]),
    ).rejects.toThrow(/role must be one of user, assistant, tool/)
    await expect(
      (async () =>
        store.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text' } as never] }]))(),
    ).rejects.toThrow(/text must be a string/)
    const result = { type: 'tool_result', toolCallId: 'c', name: 'x', content: '', isError: false } as const
    await expect(
      (async () =>
        store.appendMessages(session.id, [
          { role: 'tool', parts: [{ ...result, details: 'text' as never }] },
        ]))(),
    ).rejects.toThrow(/details must be an object when present/)
    await expect(
      (async () => store.appendMessages(session.id, [{ role: 'user', parts: text('x'), inputTokens: -1 }]))(),
    ).rejects.toThrow(ValidationError)
    await expect(store.appendMessages('ses_missing', [{ role: 'user', parts: text('x') }])).rejects.toThrow(
      NotFoundError,
    )
    await expect(store.listMessages('ses_missing')).rejects.toThrow(NotFoundError)
    // A failed append writes nothing.
    await expect(
      (async () =>
        store.appendMessages(session.id, [
          { role: 'user', parts: text('fine') },
          { role: 'assistant', parts: [] },
        ]))(),
    ).rejects.toThrow(ValidationError)
    expect(await store.listMessages(session.id)).toEqual([])
  })
})

describe.each(BACKENDS)('session events (%s)', (backend) => {
  it('are recorded and emitted after commit', async () => {
    const { store, emitted, projectId } = await setupBackend(backend)
    let seenInside = -1
    const session = await store.transaction(async (tx) => {
      const created: Session = await tx.createSession({ workspace: '/w', projectId })
      await tx.updateSession(created.id, { title: 't' })
      seenInside = emitted.length
      return created
    })
    expect(seenInside).toBe(0)
    expect(emitted.map((e) => e.type)).toEqual(['session.created', 'session.updated'])
    const stored = await store.listEvents({ projectId })
    expect(stored.map((e) => e.type)).toEqual(['project.created', 'session.created', 'session.updated'])
    expect(stored[2]?.data).toMatchObject({ session: { id: session.id, title: 't' } })
    await store.deleteSession(session.id)
    expect(emitted.at(-1)).toMatchObject({ type: 'session.deleted', sessionId: session.id })
  })
})
