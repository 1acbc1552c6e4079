/**
 * A model request never carries a turn the store does not have yet: a process killed right after
 * the model received a tool call's result (a worker SIGKILLed mid-run) must not leave a resumed
 * run to repeat that call. The store here writes slowly (each append yields to the event loop a few
 * times first), as a database over the network does.
 */
import { join } from 'node:path'
import { openStore, type Store } from '@penguin-ai/store'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { builtinTools, openWorkspace, type Tool } from '@penguin-ai/tools'
import { afterEach, expect, test } from 'vitest'
import { AgentSession } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

/** The store's async face, whose appends start only after a few turns of the event loop. */
function slowAppends(store: Store): Store['async'] {
  const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve))
  return new Proxy(store.async, {
    get(target, key, receiver) {
      if (key === 'appendMessages')
        return async (...args: Parameters<Store['async']['appendMessages']>) => {
          for (let i = 0; i < 5; i++) await yieldLoop()
          return target.appendMessages(...args)
        }
      const value = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

test('each model request goes out only once the turns it carries are stored', async () => {
  const dataDir = await tempDir()
  const store = openStore({ path: join(dataDir, 'penguin.db') })
  stores.push(store)
  const stored: string[][] = []
  let sessionId = ''
  const model = scriptedStream((request, index) => {
    // What a resumed run would load if this process died now.
    if (sessionId) stored.push(store.listMessages(sessionId).map((message) => message.role))
    expect(request.messages.length).toBeGreaterThan(0)
    if (index === 0) return { calls: [{ name: 'list_files', args: { path: '.' } }] }
    if (index === 1) return { calls: [{ name: 'list_files', args: { path: '.' } }] }
    return { text: 'done' }
  })
  const agent = await AgentSession.open({
    store: slowAppends(store),
    dataDir,
    choice: {},
    engine: {
      model: testModel(),
      workspace: await openWorkspace(await tempDir('penguin-ws-')),
      autoApprove: true,
      stream: model.stream,
      systemPrompt: 'test',
    },
  })
  sessionId = agent.sessionId
  await agent.run('list the files twice')
  await agent.close()
  // The first request carries only the prompt; each later one, the turns before it — all stored.
  expect(stored).toEqual([
    ['user'],
    ['user', 'assistant', 'tool'],
    ['user', 'assistant', 'tool', 'assistant', 'tool'],
  ])
})

test('a turn that changes files is stored before its calls run, so a crash mid-call leaves the call on record', async () => {
  const dataDir = await tempDir()
  const store = openStore({ path: join(dataDir, 'penguin.db') })
  stores.push(store)
  let sessionId = ''
  const whileRunning: string[][] = []
  // write_file, noting what a resumed run would load if this process died while it runs.
  const tools: Tool[] = builtinTools().map((tool) =>
    tool.name === 'write_file'
      ? {
          ...tool,
          run: (args, ctx) => {
            whileRunning.push(store.listMessages(sessionId).map((message) => message.role))
            return tool.run(args, ctx)
          },
        }
      : tool,
  )
  const model = scriptedStream((_request, index) => {
    if (index === 0) return { calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'a' } }] }
    return { text: 'done' }
  })
  const agent = await AgentSession.open({
    store: slowAppends(store),
    dataDir,
    choice: {},
    engine: {
      model: testModel(),
      workspace: await openWorkspace(await tempDir('penguin-ws-')),
      autoApprove: true,
      tools,
      stream: model.stream,
      systemPrompt: 'test',
    },
  })
  sessionId = agent.sessionId
  await agent.run('write a.txt')
  await agent.close()
  expect(whileRunning).toEqual([['user', 'assistant']])
  const stored = store.listMessages(sessionId)
  expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
  // The usage of the turn stays with its assistant message.
  expect(stored[1]?.inputTokens).toBeGreaterThan(0)
})
