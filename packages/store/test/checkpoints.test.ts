import { afterEach, describe, expect, it, vi } from 'vitest'
import { NotFoundError, type RecordedChange, ValidationError } from '../src/index.js'
import { BACKENDS, type BackendStore, openBackend, setupBackend } from './helpers.js'

const say = (role: 'user' | 'assistant', text: string) => ({ role, parts: [{ type: 'text' as const, text }] })
const texts = async (store: BackendStore, sessionId: string) =>
  (await store.listMessages(sessionId)).map((m) => (m.parts[0]?.type === 'text' ? m.parts[0].text : '?'))

afterEach(() => {
  vi.useRealTimers()
})

describe.each(BACKENDS)('checkpoints (%s)', (backend) => {
  it('record the conversation as compact id ranges of the session', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const other = await store.createSession({ workspace: '/w' })
    const empty = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: null })
    expect(empty).toMatchObject({ messages: [], messageCount: 0, commit: null, label: null, kind: 'turn' })
    // Another session's messages in between do not split the range.
    const [first] = await store.appendMessages(session.id, [say('user', 'u1')])
    await store.appendMessages(other.id, [say('user', 'elsewhere')])
    const [, last] = await store.appendMessages(session.id, [say('assistant', 'a1'), say('user', 'u2')])
    const checkpoint = await store.createCheckpoint({
      sessionId: session.id,
      kind: 'manual',
      commit: 'abc123',
      label: 'before refactor',
    })
    expect(checkpoint).toMatchObject({
      sessionId: session.id,
      kind: 'manual',
      commit: 'abc123',
      label: 'before refactor',
      messages: [[first?.id, last?.id]],
      messageCount: 3,
    })
    expect(await store.getCheckpoint(checkpoint.id)).toEqual(checkpoint)
    expect(await store.requireCheckpoint(checkpoint.id)).toEqual(checkpoint)
    expect((await store.listCheckpoints(session.id)).map((c) => c.id)).toEqual([checkpoint.id, empty.id])
    expect(emitted.filter((e) => e.type === 'checkpoint.created')).toHaveLength(2)
    await expect(store.requireCheckpoint(999)).rejects.toThrow(new NotFoundError('checkpoint', 999))
    expect(await store.getCheckpoint(999)).toBeUndefined()
    await expect(store.createCheckpoint({ sessionId: 'ses_x', kind: 'turn', commit: null })).rejects.toThrow(
      NotFoundError,
    )
    await expect(
      (async () => store.createCheckpoint({ sessionId: session.id, kind: 'nope' as 'turn', commit: null }))(),
    ).rejects.toThrow(ValidationError)
    await expect(store.listCheckpoints('ses_x')).rejects.toThrow(NotFoundError)
  })

  it('restore reverts later messages, and restoring the pre_restore checkpoint undoes it', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    await store.appendMessages(session.id, [say('user', 'u1'), say('assistant', 'a1')])
    const early = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c1' })
    await store.appendMessages(session.id, [say('user', 'u2'), say('assistant', 'a2')])
    await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c2' })
    const original = await store.listMessages(session.id)
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2', 'a2'])

    // The caller remembers the conversation as it is, then restores the early checkpoint.
    const preRestore = await store.createCheckpoint({
      sessionId: session.id,
      kind: 'pre_restore',
      commit: 'c3',
    })
    const restored = await store.restoreConversation(early.id)
    expect(restored.messageCount).toBe(2)
    expect(await texts(store, session.id)).toEqual(['u1', 'a1'])
    expect(emitted.at(-1)).toMatchObject({
      type: 'session.restored',
      checkpointId: early.id,
      session: { messageCount: 2 },
    })

    // The conversation goes on from there.
    await store.appendMessages(session.id, [say('user', 'u2 again'), say('assistant', 'a2 again')])
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2 again', 'a2 again'])
    const afterNew = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c4' })
    expect(afterNew.messageCount).toBe(4)
    expect(afterNew.messages).toHaveLength(2)

    // Undo the restore: the original conversation is back, the new messages are reverted.
    const undone = await store.restoreConversation(preRestore.id)
    expect(undone.messageCount).toBe(4)
    expect(await store.listMessages(session.id)).toEqual(original)
    // And the branch taken after the restore can itself be restored.
    await store.restoreConversation(afterNew.id)
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2 again', 'a2 again'])
    // Usage counts what was spent, whatever the conversation looks like now.
    expect((await store.requireSession(session.id)).messageCount).toBe(4)
    await expect(store.restoreConversation(12345)).rejects.toThrow(NotFoundError)
  })

  it('restore with keep takes only the start of the checkpoint conversation, atomically', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const other = await store.createSession({ workspace: '/w' })
    await store.appendMessages(session.id, [say('user', 'u1'), say('assistant', 'a1')])
    await store.appendMessages(other.id, [say('user', 'elsewhere')])
    await store.appendMessages(session.id, [say('user', 'u2'), say('assistant', 'a2 calls a tool')])
    const midTurn = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c1' })
    await store.appendMessages(session.id, [say('assistant', 'a2 done')])
    const preRestore = await store.createCheckpoint({
      sessionId: session.id,
      kind: 'pre_restore',
      commit: 'c2',
    })

    const restored = await store.restoreConversation(midTurn.id, { keep: 2 })
    expect(restored.messageCount).toBe(2)
    expect(await texts(store, session.id)).toEqual(['u1', 'a1'])
    expect(await texts(store, other.id)).toEqual(['elsewhere'])
    expect(emitted.at(-1)).toMatchObject({ type: 'session.restored', session: { messageCount: 2 } })
    // The pre_restore checkpoint still holds everything.
    await store.restoreConversation(preRestore.id)
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2', 'a2 calls a tool', 'a2 done'])
    // keep beyond the checkpoint's length keeps all of it; 0 empties the conversation.
    await store.restoreConversation(midTurn.id, { keep: 10 })
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2', 'a2 calls a tool'])
    await store.restoreConversation(midTurn.id, { keep: 0 })
    expect(await texts(store, session.id)).toEqual([])
    // A bad keep changes nothing.
    await store.restoreConversation(preRestore.id)
    await expect(store.restoreConversation(midTurn.id, { keep: -1 })).rejects.toThrow(ValidationError)
    await expect(store.restoreConversation(midTurn.id, { keep: 1.5 })).rejects.toThrow(ValidationError)
    expect(await texts(store, session.id)).toHaveLength(5)
  })

  it('fork copies the checkpoint conversation into a new session and leaves the original alone', async () => {
    const { store, projectId, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w', model: 'm', title: 'login', projectId })
    await store.appendMessages(session.id, [
      say('user', 'u1'),
      { ...say('assistant', 'a1'), model: 'm', inputTokens: 10, outputTokens: 2, costUsd: 0.5 },
    ])
    const checkpoint = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'c1' })
    await store.appendMessages(session.id, [say('user', 'u2')])
    const before = await store.listMessages(session.id)
    const sessionBefore = await store.requireSession(session.id)

    const fork = await store.forkSession(session.id, checkpoint.id)
    expect(fork).toMatchObject({
      title: 'login (fork)',
      workspace: '/w',
      model: 'm',
      projectId,
      parentId: session.id,
      forkedFromCheckpointId: checkpoint.id,
      messageCount: 2,
      inputTokens: 0,
      costUsd: 0,
    })
    expect(fork.id).not.toBe(session.id)
    expect(emitted.at(-1)).toMatchObject({
      type: 'session.created',
      session: { id: fork.id, messageCount: 2 },
    })
    const copied = await store.listMessages(fork.id)
    expect(copied.map(({ id: _id, sessionId: _s, ...rest }) => rest)).toEqual(
      before.slice(0, 2).map(({ id: _id, sessionId: _s, ...rest }) => rest),
    )
    expect(
      copied.every(
        (m, i) =>
          m.id > (before.at(-1)?.id ?? 0) &&
          m.sessionId === fork.id &&
          (i === 0 || m.id > (copied[i - 1]?.id ?? 0)),
      ),
    ).toBe(true)
    // The original is untouched, and the fork goes its own way.
    expect(await store.listMessages(session.id)).toEqual(before)
    expect(await store.requireSession(session.id)).toEqual(sessionBefore)
    await store.appendMessages(fork.id, [say('user', 'fork only')])
    expect(await texts(store, session.id)).toEqual(['u1', 'a1', 'u2'])
    expect(await texts(store, fork.id)).toEqual(['u1', 'a1', 'fork only'])

    // Without a checkpoint: the whole current conversation (reverted messages left out).
    await store.restoreConversation(checkpoint.id)
    const whole = await store.forkSession(session.id)
    expect(whole).toMatchObject({ forkedFromCheckpointId: null, messageCount: 2, parentId: session.id })
    expect(await texts(store, whole.id)).toEqual(['u1', 'a1'])
    const untitled = await store.createSession({ workspace: '/w' })
    expect((await store.forkSession(untitled.id)).title).toBeNull()

    // A checkpoint of another session is refused.
    await expect(store.forkSession(untitled.id, checkpoint.id)).rejects.toThrow(ValidationError)
    await expect(store.forkSession('ses_missing')).rejects.toThrow(NotFoundError)
    await expect(store.forkSession(session.id, 999)).rejects.toThrow(NotFoundError)

    // Deleting the parent leaves the fork, without its links.
    await store.deleteSession(session.id)
    expect(await store.requireSession(fork.id)).toMatchObject({
      parentId: null,
      forkedFromCheckpointId: null,
      messageCount: 3,
    })
  })

  it('prunes by count and by age, and reports the commits still referenced', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = Date.parse('2026-01-01T00:00:00Z')
    vi.setSystemTime(start)
    const store = await openBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const other = await store.createSession({ workspace: '/w' })
    const made = []
    for (let day = 0; day < 6; day++) {
      vi.setSystemTime(start + day * 86_400_000)
      made.push(await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: `c${day}` }))
    }
    await store.createCheckpoint({ sessionId: other.id, kind: 'turn', commit: 'c5' })
    await store.createCheckpoint({ sessionId: other.id, kind: 'turn', commit: null })
    expect(await store.liveCheckpointCommits()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'])

    // Now is day 5: keep 4 → drops day 0 and 1 (oldest first).
    expect((await store.pruneCheckpoints(session.id, { maxCount: 4 })).map((c) => c.commit)).toEqual([
      'c0',
      'c1',
    ])
    expect(await store.pruneCheckpoints(session.id, { maxCount: 4 })).toEqual([])
    // Older than 1.5 days: days 2 and 3.
    expect((await store.pruneCheckpoints(session.id, { maxAgeDays: 1.5 })).map((c) => c.id)).toEqual([
      made[2]?.id,
      made[3]?.id,
    ])
    expect((await store.listCheckpoints(session.id)).map((c) => c.commit)).toEqual(['c5', 'c4'])
    expect(await store.liveCheckpointCommits()).toEqual(['c4', 'c5'])
    await expect(store.pruneCheckpoints(session.id, { maxCount: -1 })).rejects.toThrow(ValidationError)
    expect(await store.pruneCheckpoints(session.id, {})).toEqual([])

    // Deleting the session hands back only the commits no other checkpoint uses.
    expect(await store.deleteSession(session.id)).toEqual({ commits: ['c4'] })
    expect(await store.liveCheckpointCommits()).toEqual(['c5'])
    expect(await store.deleteSession(other.id)).toEqual({ commits: ['c5'] })
    expect(await store.liveCheckpointCommits()).toEqual([])
  })

  it('a restore inside a failed transaction changes nothing and emits nothing', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const checkpoint = await store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: null })
    await store.appendMessages(session.id, [say('user', 'u1')])
    const seen = emitted.length
    await expect(
      store.transaction(async (tx) => {
        await tx.restoreConversation(checkpoint.id)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await texts(store, session.id)).toEqual(['u1'])
    expect(emitted.slice(seen) as RecordedChange[]).toEqual([])
  })
})
