import { describe, expect, test } from 'vitest'
import { type MemoryBackend, type MemoryRecord, memoryTools, openWorkspace } from '../src/index.js'
import { tempDir } from './helpers.js'

function fakeBackend(): MemoryBackend & { saved: MemoryRecord[] } {
  const saved: MemoryRecord[] = []
  return {
    saved,
    save({ content, tags }) {
      const record = { id: saved.length + 1, content, tags, createdAt: '2026-11-25T10:00:00.000Z' }
      saved.push(record)
      return record
    },
    search(query, limit) {
      const words = query.toLowerCase().split(/\W+/).filter(Boolean)
      return saved.filter((m) => words.some((w) => m.content.toLowerCase().includes(w))).slice(0, limit)
    },
  }
}

async function context() {
  return {
    workspace: await openWorkspace(await tempDir()),
    signal: new AbortController().signal,
    callId: 'c1',
  }
}

describe('memory tools', () => {
  test('memory_save stores trimmed content with deduplicated tags; memory_search finds it', async () => {
    const backend = fakeBackend()
    const [save, search] = memoryTools(backend)
    const ctx = await context()
    const saved = await save!.run(
      { content: '  Run the tests with pnpm test  ', tags: ['tests', 'tests', 'pnpm'] },
      ctx,
    )
    expect(saved.isError).toBeFalsy()
    expect(saved.output).toBe('Saved memory 1.')
    expect(backend.saved[0]).toMatchObject({
      content: 'Run the tests with pnpm test',
      tags: ['tests', 'pnpm'],
    })

    const found = await search!.run({ query: 'how to run tests' }, ctx)
    expect(found.output).toContain('1 memory:')
    expect(found.output).toContain('[tests, pnpm] Run the tests with pnpm test')
    const none = await search!.run({ query: 'deploy' }, ctx)
    expect(none.output).toBe('No memories match "deploy".')
  })

  test('bad arguments are explained to the model; saving needs no permission', async () => {
    const [save, search] = memoryTools(fakeBackend())
    const ctx = await context()
    const empty = await save!.run({ content: '   ' }, ctx)
    expect(empty.isError).toBe(true)
    expect(empty.output).toMatch(/Invalid arguments for memory_save/)
    expect((await search!.run({ query: 'x', limit: 500 }, ctx)).isError).toBe(true)
    expect(save!.permission({ content: 'x' }).access).toBe('read')
    expect(search!.readOnly).toBe(true)
  })
})
