import { describe, expect, it } from 'vitest'
import { setup } from './helpers.js'

describe('listSessions({ under })', () => {
  it('lists the sessions of a directory and everything below it, not its lookalike siblings', () => {
    const { store } = setup()
    const at = store.createSession({ workspace: '/work' })
    const below = store.createSession({ workspace: '/work/api/service' })
    store.createSession({ workspace: '/workshop' })
    store.createSession({ workspace: '/elsewhere/work' })
    store.createSession({ workspace: '/' })
    const ids = (under: string) =>
      store
        .listSessions({ under })
        .map((session) => session.id)
        .sort()
    expect(ids('/work')).toEqual([at.id, below.id].sort())
    expect(ids('/work/')).toEqual([at.id, below.id].sort())
    expect(ids('/work/api')).toEqual([below.id])
    expect(store.listSessions({ under: '/' })).toHaveLength(5)
    // Combined with the other filters and the limit.
    expect(store.listSessions({ under: '/work', limit: 1 })).toHaveLength(1)
    expect(store.listSessions({ under: '/work', workspace: '/workshop' })).toEqual([])
  })
})
