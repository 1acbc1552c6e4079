import {
  assistantMessage as a,
  type Message,
  textOf,
  toolResultMessage,
  userMessage as u,
} from '@penguin-ai/llm'
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
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    createdAt: '2026-11-25T00:00:00.000Z',
  }
}

const call = (id: string, name = 'read_file') => ({ id, name, arguments: '{"path":"a.txt"}' })
const t = (id: string, name: string, content: string, isError = false) =>
  toolResultMessage({ id, name }, content, { isError })
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

describe('conversion between engine messages and stored parts', () => {
  test('round-trips user, assistant with tool calls, and tool results', () => {
    const conversation: Message[] = [
      u('fix it'),
      a('Looking.', [call('c1'), call('c2', 'grep')]),
      t('c1', 'read_file', 'text'),
      t('c2', 'grep', 'no match', true),
      a('Done.'),
    ]
    expect(toEngineHistory(conversation.map(stored))).toEqual(conversation)
    expect(toNewMessage({ role: 'system', content: 'x' })).toBeUndefined()
  })

  test('round-trips images and reasoning with its opaque provider state, byte for byte', () => {
    const image = { type: 'image', mediaType: 'image/png', data: PNG } as const
    const conversation: Message[] = [
      u('what is in this picture?', [image]),
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Let me think.', api: 'anthropic-messages', signature: 'sig==' },
          { type: 'reasoning', text: '', api: 'anthropic-messages', redacted: 'EuYBCkQYAiJA' },
          { type: 'text', text: 'I will look closer.' },
          { type: 'tool_call', ...call('c1') },
          {
            type: 'reasoning',
            text: 'a\n\nb',
            api: 'openai-responses',
            id: 'rs_1',
            summary: ['a', 'b'],
            encrypted: 'gAAAA',
          },
        ],
      },
      {
        role: 'tool',
        toolCallId: 'c1',
        name: 'read_file',
        content: [{ type: 'text', text: 'PNG image' }, image],
      },
      { role: 'tool', toolCallId: 'c2', name: 'read_file', content: [image] },
    ]
    const rows = conversation.map(stored)
    expect(rows[3]!.parts).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'c2',
        name: 'read_file',
        content: '',
        isError: false,
        images: [image],
      },
    ])
    // c2 has no call: the repair drops it; everything else comes back exactly.
    expect(toEngineHistory(rows)).toEqual(conversation.slice(0, 3))
  })

  test('sessions stored before content blocks (text, tool_call and tool_result parts) load unchanged', () => {
    const row = (role: StoredMessage['role'], parts: StoredMessage['parts']): StoredMessage => ({
      ...stored(u('x')),
      role,
      parts,
    })
    expect(
      toEngineHistory([
        row('user', [{ type: 'text', text: 'go' }]),
        row('assistant', [
          { type: 'text', text: 'ok' },
          { type: 'tool_call', id: 'c1', name: 'grep', arguments: '{}' },
        ]),
        row('tool', [
          { type: 'tool_result', toolCallId: 'c1', name: 'grep', content: 'hit', isError: false },
        ]),
      ]),
    ).toEqual([u('go'), a('ok', [{ id: 'c1', name: 'grep', arguments: '{}' }]), t('c1', 'grep', 'hit')])
  })

  test('a compaction summary stands in for everything before the messages it kept', () => {
    const old: Message[] = [u('first task'), a('old answer'), u('second task'), a('recent answer')]
    const rows = old.map(stored)
    rows.push({
      ...rows[0]!,
      id: nextId++,
      role: 'user',
      parts: [{ type: 'summary', text: '[Summary] goal: tasks', keptMessages: 2 }],
    })
    rows.push(stored(u('third task')))
    expect(toEngineHistory(rows)).toEqual([
      u('[Summary] goal: tasks'),
      u('second task'),
      a('recent answer'),
      u('third task'),
    ])
  })
})

describe('repairToolPairs', () => {
  test('a tool call whose result was never written gets an interrupted result', () => {
    const repaired = repairToolPairs([u('go'), a('', [call('c1'), call('c2')]), t('c1', 'read_file', 'ok')])
    expect(repaired.at(-1)).toEqual(t('c2', 'read_file', INTERRUPTED_RESULT, true))
    expect(repaired).toHaveLength(4)
  })

  test('orphaned and duplicate results are dropped; results follow their calls in call order', () => {
    const repaired = repairToolPairs([
      t('zz', 'grep', 'orphan'),
      u('go'),
      a('', [call('a'), call('b')]),
      t('b', 'read_file', 'B'),
      t('a', 'read_file', 'A'),
      t('a', 'read_file', 'A again'),
      u('next'),
      t('b', 'read_file', 'late'),
    ])
    expect(repaired.map((m) => (m.role === 'tool' ? `tool:${textOf(m)}` : m.role))).toEqual([
      'user',
      'assistant',
      'tool:A',
      'tool:B',
      'user',
    ])
  })
})
