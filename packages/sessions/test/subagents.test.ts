import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { openStore, type Store } from '@penguin-ai/store'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { AgentSession, toEngineHistory } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

describe("sub-agents' sessions", () => {
  test('a task call stores a child session under the parent, and session_id continues it', async () => {
    const store = openStore({ path: join(await tempDir(), 'penguin.db') })
    stores.push(store)
    const workspace = await openWorkspace(await tempDir('penguin-ws-'))
    let childId = ''
    const model = scriptedStream(
      [
        { calls: [{ name: 'task', args: { agent: 'explore', prompt: 'find x', description: 'find x' } }] },
        { text: 'x is in a.ts' },
        { text: 'found it' },
        // Second run: continue the same child.
        {
          get calls() {
            return [{ name: 'task', args: { agent: 'explore', prompt: 'and y?', session_id: childId } }]
          },
        },
        { text: 'y is in b.ts' },
        { text: 'both found' },
      ],
      { whenExhausted: { text: 'done' } },
    )
    const agent = await AgentSession.open({
      store,
      engine: {
        model: testModel(),
        workspace,
        stream: model.stream,
        systemPrompt: 'test',
        subagents: {
          agents: [{ name: 'explore', description: 'finds things' }],
          resolve: async (name) =>
            name === 'explore' ? { name, description: 'finds things', prompt: 'You explore.' } : undefined,
        },
      },
    })
    await agent.run('find x')
    const parent = agent.session
    const [child] = store.listSessions({ parentSessionId: parent.id })
    expect(child).toMatchObject({ parentSessionId: parent.id, agent: 'explore', title: 'find x' })
    childId = child?.id ?? ''
    expect(store.listMessages(childId).map((m) => m.role)).toEqual(['user', 'assistant'])
    const result = await agent.run('and y')
    expect(result.text).toBe('both found')
    expect(store.listSessions({ parentSessionId: parent.id })).toHaveLength(1)
    const history = toEngineHistory(store.listMessages(childId))
    expect(history.map((message) => textOf(message))).toEqual([
      'find x',
      'x is in a.ts',
      'and y?',
      'y is in b.ts',
    ])
    await agent.close()
  })
})
