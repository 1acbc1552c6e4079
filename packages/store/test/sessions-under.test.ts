import { describe, expect, it } from 'vitest'
import { BACKENDS, setupBackend } from './helpers.js'

describe.each(BACKENDS)('listSessions({ under }) (%s)', (backend) => {
  it('lists the sessions of a directory and everything below it, not its lookalike siblings', async () => {
    const { store } = await setupBackend(backend)
    const at = await store.createSession({ workspace: '/work' })
    const below = await store.createSession({ workspace: '/work/api/service' })
    await store.createSession({ workspace: '/workshop' })
    await store.createSession({ workspace: '/elsewhere/work' })
    await store.createSession({ workspace: '/' })
    const ids = async (under: string) =>
      (await store.listSessions({ under })).map((session) => session.id).sort()
    expect(await ids('/work')).toEqual([at.id, below.id].sort())
    expect(await ids('/work/')).toEqual([at.id, below.id].sort())
    expect(await ids('/work/api')).toEqual([below.id])
    expect(await store.listSessions({ under: '/' })).toHaveLength(5)
    // Combined with the other filters and the limit.
    expect(await store.listSessions({ under: '/work', limit: 1 })).toHaveLength(1)
    expect(await store.listSessions({ under: '/work', workspace: '/workshop' })).toEqual([])
  })
})
