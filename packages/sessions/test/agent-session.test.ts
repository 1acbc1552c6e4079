import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textBlock, textOf, userMessage } from '@penguin-ai/llm'
import type { RecordedChange } from '@penguin-ai/store'
import { describe, expect, test } from 'vitest'
import { INTERRUPTED_RESULT, toEngineHistory } from '../src/index.js'
import { useSessionStore, writeNotes } from './session-setup.js'

const setup = useSessionStore()
const write = writeNotes

describe('AgentSession', () => {
  test('records the conversation with usage, and --continue resumes it', async () => {
    const { store, open } = await setup()
    const first = await open([
      { calls: [{ name: 'read_file', args: { path: 'notes.txt' } }] },
      { text: 'It says v1.' },
    ])
    await first.agent.run('what does notes.txt say?')
    const session = first.agent.session
    expect(session.title).toBe('what does notes.txt say?')
    expect(session.messageCount).toBe(4)
    expect(session.inputTokens).toBe(200)
    const stored = store.listMessages(session.id)
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(stored[1]).toMatchObject({ inputTokens: 100, outputTokens: 10, model: 'test/model' })
    // The tool result is stored with its details, so history renders like the live run.
    expect(stored[2]!.parts[0]).toMatchObject({
      type: 'tool_result',
      details: { kind: 'file-read', summary: 'notes.txt', path: 'notes.txt', totalLines: 1 },
    })
    await first.agent.close()

    const second = await open([{ text: 'Still v1.' }], { continueLatest: true })
    expect(second.agent.resumed).toBe(true)
    expect(second.agent.session.id).toBe(session.id)
    await second.agent.run('and now?')
    const sent = second.requests[0]!.messages.map((m) => m.role)
    expect(sent).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user'])
    // Details are for people: the model never gets them back.
    expect(JSON.stringify(second.requests[0]!.messages)).not.toContain('file-read')
    expect(store.listMessages(session.id)).toHaveLength(6)
  })

  test('names a new session from its first prompt in the write that stores the prompt', async () => {
    const { store, open } = await setup()
    const changes: RecordedChange[] = []
    store.subscribe((change) => changes.push(change))
    const { agent } = await open([{ text: 'Hi.' }])
    await agent.run('say hi')
    const updates = changes.flatMap((change) => (change.type === 'session.updated' ? [change.session] : []))
    // No write of its own: the first update already holds the prompt, and the title with it.
    expect(updates[0]).toMatchObject({ title: 'say hi', messageCount: 1 })
    expect(updates.every((session) => session.title === 'say hi')).toBe(true)
    expect(agent.session).toMatchObject({ title: 'say hi', messageCount: 2 })
    await agent.run('and again')
    expect(store.requireSession(agent.sessionId)).toMatchObject({ title: 'say hi', messageCount: 4 })
    await agent.close()
  })

  test('a checkpoint is taken before each file-changing turn; restore and undo round-trip files and conversation', async () => {
    const { store, root, open } = await setup()
    const { agent } = await open([write('v2\n'), { text: 'wrote v2' }, write('v3\n'), { text: 'wrote v3' }])
    await agent.run('make it v2')
    await agent.run('make it v3')
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v3\n')
    const checkpoints = await agent.checkpoints!.list()
    expect(checkpoints.map((c) => c.kind)).toEqual(['turn', 'turn'])
    // Newest first: the second checkpoint was taken after the first exchange, before v3 was written.
    const beforeV3 = checkpoints[0]!
    expect(beforeV3.messageCount).toBe(5)

    const plan = await agent.checkpoints!.plan(beforeV3.id)
    expect(plan.changes).toEqual([expect.objectContaining({ path: 'notes.txt', status: 'modified' })])
    const result = await agent.restore(beforeV3.id)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v2\n')
    expect(agent.session.messageCount).toBe(5)
    expect(agent.engine.messages.at(-1)).toEqual(userMessage('make it v3'))

    await agent.restore(result.undo.id)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v3\n')
    expect(agent.session.messageCount).toBe(8)
    expect(textOf(toEngineHistory(store.listMessages(agent.session.id)).at(-1)!)).toBe('wrote v3')
  })

  test('restoring with keepMessages undoes a whole turn, prompt included; undoing that brings it back', async () => {
    const { store, root, open } = await setup()
    const { agent, requests } = await open([
      write('v2\n'),
      { text: 'wrote v2' },
      { calls: [{ name: 'read_file', args: { path: 'notes.txt' } }] },
      write('v3\n'),
      { text: 'wrote v3' },
      { text: 'next' },
    ])
    await agent.run('make it v2')
    const before = agent.session.messageCount
    await agent.run('make it v3')
    // The turn's checkpoint came after a read: it holds the prompt, the read and its result.
    const turn = (await agent.checkpoints!.latest())!
    expect(turn.messageCount).toBe(before + 3)

    const plan = await agent.checkpoints!.plan(turn.id, { keepMessages: before })
    expect(plan.messagesAfter).toBe(before)
    const undone = await agent.restore(turn.id, { keepMessages: before })
    expect(undone.messagesAfter).toBe(before)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v2\n')
    expect(agent.session.messageCount).toBe(before)
    const texts = store.listMessages(agent.session.id).map((m) => JSON.stringify(m.parts))
    expect(texts.join('\n')).not.toContain('make it v3')
    expect(textOf(agent.engine.messages.at(-1)!)).toBe('wrote v2')

    await agent.restore(undone.undo.id)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v3\n')
    expect(agent.session.messageCount).toBe(before + 6)
    expect(textOf(agent.engine.messages.at(-1)!)).toBe('wrote v3')

    await agent.restore(turn.id, { keepMessages: before })
    await agent.run('carry on')
    // The model's next request has no trace of the undone turn.
    const sent = JSON.stringify(requests.at(-1)!.messages)
    expect(sent).toContain('make it v2')
    expect(sent).not.toContain('make it v3')
    expect(sent).not.toContain('wrote v3')
    expect(sent).toContain('carry on')
  })

  test('a bad keepMessages is refused before anything changes', async () => {
    const { root, open } = await setup()
    const { agent } = await open([write('v2\n'), { text: 'wrote v2' }])
    await agent.run('make it v2')
    const turn = (await agent.checkpoints!.latest())!
    await expect(agent.restore(turn.id, { keepMessages: -1 })).rejects.toThrow(
      /keepMessages must be a whole number/,
    )
    await expect(agent.restore(turn.id, { keepMessages: 1.5 })).rejects.toThrow(/whole number/)
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('v2\n')
    expect(await agent.checkpoints!.list()).toHaveLength(1)
    expect(agent.session.messageCount).toBe(4)
  })

  test('a tool call left without a result by a crash is answered as interrupted on resume', async () => {
    const { store, open } = await setup()
    const { agent } = await open([])
    const session = agent.session
    store.appendMessages(session.id, [
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c9', name: 'run_command', arguments: '{}' }] },
    ])
    await agent.close()
    const resumed = await open([{ text: 'resumed' }], { sessionRef: session.id })
    await resumed.agent.run('continue')
    const sent = resumed.requests[0]!.messages
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(sent[3]).toMatchObject({ toolCallId: 'c9', content: [textBlock(INTERRUPTED_RESULT)] })
  })

  test('memory saved in one session is found in the next', async () => {
    const { open } = await setup()
    const first = await open([
      {
        calls: [{ name: 'memory_save', args: { content: 'Run the tests with pnpm test', tags: ['tests'] } }],
      },
      { text: 'saved' },
    ])
    await first.agent.run('remember how to test')
    await first.agent.switchTo(undefined)
    const second = await open([
      { calls: [{ name: 'memory_search', args: { query: 'how do I run the tests?' } }] },
      { text: 'ok' },
    ])
    expect(second.agent.session.id).not.toBe(first.agent.session.id)
    await second.agent.run('how do I test?')
    const result = second.requests[1]!.messages.find((m) => m.role === 'tool')
    expect(textOf(result!)).toContain('Run the tests with pnpm test')
  })
})
