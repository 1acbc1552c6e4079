/**
 * An AgentSession on the PostgreSQL store (the server's `--database` path): the conversation is
 * recorded with usage, checkpoints and restores round-trip, `--continue` resumes, memories are
 * found. A private cluster for this file (tooling/test-postgres).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { openPostgresStore, type PostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { toEngineHistory } from '../src/index.js'
import { notesWorkspace, sessionOpener, writeNotes } from './session-setup.js'

const postgres = usePostgresCluster()
let store: PostgresStore

// Registered after the cluster's hooks: vitest runs these after its start-up and before its teardown.
beforeAll(async () => {
  store = await openPostgresStore(await postgres.database('sessions'))
})

afterAll(async () => {
  await store?.close()
})

const write = writeNotes

describe('AgentSession on PostgreSQL', () => {
  test('records, checkpoints, restores, resumes and remembers', async () => {
    const { dataDir, root, workspace } = await notesWorkspace()
    const open = sessionOpener(store, dataDir, workspace)

    const { agent } = await open([
      write('v2\n'),
      { text: 'wrote v2' },
      {
        calls: [{ name: 'memory_save', args: { content: 'the notes file holds versions', tags: ['notes'] } }],
      },
      { text: 'saved' },
    ])
    await agent.run('write v2')
    expect(agent.session).toMatchObject({ title: 'write v2', messageCount: 4, inputTokens: 200 })
    const stored = await store.listMessages(agent.session.id)
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(stored[1]).toMatchObject({ inputTokens: 100, outputTokens: 10, model: 'test/model' })
    const [checkpoint] = await agent.checkpoints!.list()
    expect(checkpoint).toMatchObject({ kind: 'turn', messageCount: 1 })
    await agent.run('remember something')
    expect(agent.session.messageCount).toBe(8)

    const restored = await agent.restore(checkpoint!.id)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v1\n')
    expect(restored.session.messageCount).toBe(1)
    expect(agent.session.messageCount).toBe(1)
    await agent.close()

    const next = await open([{ text: 'still here' }], { continueLatest: true })
    expect(next.agent.resumed).toBe(true)
    expect(next.agent.session.id).toBe(agent.session.id)
    await next.agent.run('and now?')
    expect(next.requests[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'user'])
    const history = toEngineHistory(await store.listMessages(agent.session.id))
    expect(textOf(history.at(-1)!)).toBe('still here')
    await next.agent.close()

    const found = await store.searchMemories('versions', { scopes: [`workspace:${workspace.root}`] })
    expect(found.map((memory) => memory.content)).toEqual(['the notes file holds versions'])
  })
})
