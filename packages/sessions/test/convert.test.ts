import type { Message } from '@penguin-ai/llm'
import type { StoredMessage } from '@penguin-ai/store'
import { describe, expect, test } from 'vitest'
import { INTERRUPTED_RESULT, repairToolPairs, toEngineHistory, toNewMessage } from '../src/index.js'

let nextId = 1
function stored(message: Message): StoredMessage {
  const row = toNewMessage(message)
  if (!row) throw new Error('not storable')
  return {
    id: nextId++,
    sessionId: 'ses_test',
    role: row.role,
    parts: row.parts,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    createdAt: '2026-11-25T00:00:00.000Z',
  }
}

const call = (id: string, name = 'read_file') => ({ id, name, arguments: '{"path":"a.txt"}' })

describe('conversion between engine messages and stored parts', () => {
  test('round-trips user, assistant with tool calls, and tool results', () => {
    const conversation: Message[] = [
      { role: 'user', content: 'fix it' },
      { role: 'assistant', content: 'Looking.', toolCalls: [call('c1'), call('c2', 'grep')] },
      { role: 'tool', toolCallId: 'c1', name: 'read_file', content: 'text' },
      { role: 'tool', toolCallId: 'c2', name: 'grep', content: 'no match', isError: true },
      { role: 'assistant', content: 'Done.', toolCalls: [] },
    ]
    expect(toEngineHistory(conversation.map(stored))).toEqual(conversation)
    expect(toNewMessage({ role: 'system', content: 'x' })).toBeUndefined()
  })

  test('a compaction summary stands in for everything before the messages it kept', () => {
    const old: Message[] = [
      { role: 'user', content: 'first task' },
      { role: 'assistant', content: 'old answer', toolCalls: [] },
      { role: 'user', content: 'second task' },
      { role: 'assistant', content: 'recent answer', toolCalls: [] },
    ]
    const rows = old.map(stored)
    rows.push({
      ...rows[0]!,
      id: nextId++,
      role: 'user',
      parts: [{ type: 'summary', text: '[Summary] goal: tasks', keptMessages: 2 }],
    })
    rows.push(stored({ role: 'user', content: 'third task' }))
    expect(toEngineHistory(rows)).toEqual([
      { role: 'user', content: '[Summary] goal: tasks' },
      { role: 'user', content: 'second task' },
      { role: 'assistant', content: 'recent answer', toolCalls: [] },
      { role: 'user', content: 'third task' },
    ])
  })
})

describe('repairToolPairs', () => {
  test('a tool call whose result was never written gets an interrupted result', () => {
    const repaired = repairToolPairs([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [call('c1'), call('c2')] },
      { role: 'tool', toolCallId: 'c1', name: 'read_file', content: 'ok' },
    ])
    expect(repaired.at(-1)).toEqual({
      role: 'tool',
      toolCallId: 'c2',
      name: 'read_file',
      content: INTERRUPTED_RESULT,
      isError: true,
    })
    expect(repaired).toHaveLength(4)
  })

  test('orphaned and duplicate results are dropped; results follow their calls in call order', () => {
    const repaired = repairToolPairs([
      { role: 'tool', toolCallId: 'zz', name: 'grep', content: 'orphan' },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [call('a'), call('b')] },
      { role: 'tool', toolCallId: 'b', name: 'read_file', content: 'B' },
      { role: 'tool', toolCallId: 'a', name: 'read_file', content: 'A' },
      { role: 'tool', toolCallId: 'a', name: 'read_file', content: 'A again' },
      { role: 'user', content: 'next' },
      { role: 'tool', toolCallId: 'b', name: 'read_file', content: 'late' },
    ])
    expect(repaired.map((m) => (m.role === 'tool' ? `tool:${m.content}` : m.role))).toEqual([
      'user',
      'assistant',
      'tool:A',
      'tool:B',
      'user',
    ])
  })
})
