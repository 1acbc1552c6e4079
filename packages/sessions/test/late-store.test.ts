import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelStreamFn } from '@penguin-ai/engine'
import { textOf } from '@penguin-ai/llm'
import { openStore, type Store } from '@penguin-ai/store'
import { type AnswerStep as Step, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { AgentSession } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

/**
 * A session started before its store: `onFirstRequest` runs when the engine makes its first model
 * request (and decides what the store promise does then).
 */
async function started(steps: Step[], store: Promise<Store | undefined>, onFirstRequest: () => void) {
  const dataDir = await tempDir()
  const root = await tempDir('penguin-ws-')
  await writeFile(join(root, 'notes.txt'), 'v1\n')
  const model = scriptedStream(steps, { whenExhausted: { text: 'done' } })
  let first = true
  const stream: ModelStreamFn = (m, request) => {
    if (first) {
      first = false
      onFirstRequest()
    }
    return model.stream(m, request)
  }
  const agent = AgentSession.start({
    store,
    dataDir,
    engine: {
      model: testModel(),
      workspace: await openWorkspace(root),
      autoApprove: true,
      stream,
      systemPrompt: 'test',
    },
  })
  return { agent, requests: model.requests, dataDir, root }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('AgentSession.start (the store opens after the first request)', () => {
  test('the first request goes out before the session row exists; then everything is stored', async () => {
    const dir = await tempDir()
    const store = openStore({ path: join(dir, 'penguin.db') })
    stores.push(store)
    const arriving = deferred<Store | undefined>()
    let rowAtFirstRequest: unknown = 'not asked'
    const { agent, requests } = await started(
      [
        { calls: [{ name: 'write_file', args: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'wrote v2' },
      ],
      arriving.promise,
      () => {
        rowAtFirstRequest = store.getSession(agent.sessionId)
        arriving.resolve(store)
      },
    )
    expect(() => agent.store).toThrow(/not stored/)
    const result = await agent.run('change the notes')
    expect(result.status).toBe('completed')
    expect(rowAtFirstRequest).toBeUndefined()
    // The id the engine used (prompt cache key included) is the stored session's.
    expect(requests[0]!.cacheKey).toBe(agent.sessionId)
    const session = agent.session
    expect(session).toMatchObject({ id: agent.sessionId, title: 'change the notes', messageCount: 4 })
    expect(session.inputTokens).toBe(200)
    const messages = store.listMessages(session.id)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(messages[1]).toMatchObject({ inputTokens: 100, outputTokens: 10, model: 'test/model' })
    // The write's turn waited for the store and its checkpoint.
    expect(store.listCheckpoints(session.id).map((c) => c.kind)).toEqual(['turn'])
    expect(await agent.whenStored()).toBe(store.async)
    agent.close()
  })

  test('a store that cannot open: the run goes on unrecorded, and memory says it is unavailable', async () => {
    const arriving = deferred<Store | undefined>()
    const { agent } = await started(
      [{ calls: [{ name: 'memory_save', args: { content: 'Use pnpm' } }] }, { text: 'noted' }],
      arriving.promise,
      () => arriving.resolve(undefined),
    )
    const result = await agent.run('remember pnpm')
    expect(result.status).toBe('completed')
    expect(await agent.whenStored()).toBeUndefined()
    expect(() => agent.session).toThrow(/not stored/)
    const toolResult = agent.engine.messages.find((m) => m.role === 'tool')
    expect(toolResult && textOf(toolResult)).toMatch(/memory is unavailable: this session is not saved/)
    agent.close()
  })

  test('a store that fails stops the run, and run() rejects with its error', async () => {
    const arriving = deferred<Store | undefined>()
    const failure = new Error('the database is damaged')
    const { agent } = await started([{ text: 'hello' }, { text: 'never' }], arriving.promise, () =>
      arriving.reject(failure),
    )
    await expect(agent.run('hi')).rejects.toBe(failure)
    await expect(agent.whenStored()).rejects.toBe(failure)
  })

  test('a run that breaks off does not wait for a store that is still opening', async () => {
    const arriving = deferred<Store | undefined>()
    const { agent } = await started([{ text: 'one' }], arriving.promise, () => {})
    const first = agent.run('first')
    // The engine refuses a second run while one is in progress: run() rejects at once.
    await expect(agent.run('second')).rejects.toThrow(/in progress/)
    arriving.resolve(undefined)
    expect((await first).status).toBe('completed')
  })
})
