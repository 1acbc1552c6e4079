// Steering and follow-ups on a stored session: stored as the user turns they are, in order, and
// everything built on the stored conversation (resume, checkpoints) sees them.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { describe, expect, test } from 'vitest'
import { toEngineHistory } from '../src/index.js'
import { useSessionStore, writeNotes } from './session-setup.js'

const setup = useSessionStore()
const write = writeNotes

describe('AgentSession steering', () => {
  test('steer and followUp reach the run in progress and are stored as user turns; resume and checkpoints see them', async () => {
    const { store, root, open } = await setup()
    const { agent, requests } = await open([
      write('v2\n'),
      write('v3\n'),
      { text: 'Wrote v3.' },
      { text: 'Bye.' },
    ])
    expect(agent.steer('nobody is listening')).toBe(false)
    let posted = false
    const result = await agent.run('write v2', {
      onEvent: (event) => {
        if (event.type === 'tool.started' && !posted) {
          posted = true
          expect(agent.steer('make it v3 instead')).toBe(true)
          expect(agent.followUp('then say bye')).toBe(true)
        }
      },
    })
    expect(result).toMatchObject({ status: 'completed', text: 'Bye.', undelivered: [] })
    expect(agent.followUp('after the end')).toBe(false)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v3\n')
    // The second request carried the steering right after the first call's result.
    expect(requests[1]?.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'user',
    ])
    const stored = store.listMessages(agent.sessionId)
    expect(stored.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
      'assistant',
    ])
    const texts = toEngineHistory(stored).map((message) => (message.role === 'user' ? textOf(message) : ''))
    expect(texts.filter(Boolean)).toEqual(['write v2', 'make it v3 instead', 'then say bye'])

    // The checkpoint before the second write holds the conversation up to the steering message.
    const checkpoints = await agent.checkpoints!.list()
    expect(checkpoints).toHaveLength(2)
    const beforeV3 = checkpoints[0]!
    await agent.restore(beforeV3.id)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v2\n')
    const restored = store.listMessages(agent.sessionId)
    expect(restored.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user'])
    await agent.close()

    // A resumed session's conversation holds the steering message like any prompt.
    const resumed = await open([{ text: 'ok' }], { continueLatest: true })
    await resumed.agent.run('go on')
    expect(JSON.stringify(resumed.requests[0]?.messages)).toContain('make it v3 instead')
    await resumed.agent.close()
  })

  test('what a run ends without reading is reported, never kept for a later run', async () => {
    const { open } = await setup()
    const controller = new AbortController()
    const { agent, requests } = await open([write('v2\n'), { text: 'never asked' }])
    const result = await agent.run('write v2', {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'tool.started') {
          agent.followUp('one more thing')
          controller.abort()
        }
      },
    })
    expect(result.status).toBe('aborted')
    expect(result.undelivered).toEqual([{ delivery: 'follow_up', text: 'one more thing' }])
    expect(requests).toHaveLength(1)
    const next = await agent.run('next')
    expect(next.undelivered).toEqual([])
    expect(JSON.stringify(requests.at(-1)?.messages)).not.toContain('one more thing')
    await agent.close()
  })
})
