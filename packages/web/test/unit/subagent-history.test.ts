import type { Message } from '@penguin-ai/sdk'
import { describe, expect, it } from 'vitest'
import { chatReducer, initialChatState } from '../../src/app/chat/chat-reducer.js'
import type { ChatItem } from '../../src/app/chat/chat-types.js'
import { itemsFromMessages } from '../../src/app/chat/from-messages.js'
import { taskSessionIds, withStoredSubagents } from '../../src/app/chat/subagent-history.js'

let nextId = 1
function message(session: string, role: Message['role'], parts: Message['parts']): Message {
  return {
    id: nextId++,
    session_id: session,
    role,
    parts,
    model: null,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    created_at: '2025-01-01T00:00:00Z',
  }
}
const text = (value: string) => ({ type: 'text' as const, text: value })
const call = (id: string, name: string, args: unknown) => ({
  type: 'tool_call' as const,
  id,
  name,
  arguments: JSON.stringify(args),
})
/** A `task` call's stored result, as the engine's delegate gives it. */
function taskResult(id: string, agent: string, session: string, answer: string, status = 'completed') {
  return {
    type: 'tool_result' as const,
    tool_call_id: id,
    name: 'task',
    content: `${answer}\n\nsession_id: ${session} (pass it as session_id to continue this ${agent} session)`,
    is_error: status !== 'completed',
    details: {
      kind: 'generic' as const,
      summary: `${agent} · ${status}`,
      data: { agent, session_id: session, status, text: answer },
    },
  }
}
const result = (id: string, name: string, content: string) => ({
  type: 'tool_result' as const,
  tool_call_id: id,
  name,
  content,
  is_error: false,
})

/** A parent that ran `explore` and `test` at once, then continued `test`; `test` ran a grandchild. */
function stored() {
  const parent = [
    message('ses_p', 'user', [text('check the code')]),
    message('ses_p', 'assistant', [
      call('c1', 'task', { agent: 'explore', prompt: 'find the parser' }),
      call('c2', 'task', { agent: 'test', prompt: 'add a test' }),
    ]),
    message('ses_p', 'tool', [taskResult('c1', 'explore', 'ses_e', 'In src/parse.ts.')]),
    message('ses_p', 'tool', [taskResult('c2', 'test', 'ses_t', 'Added it.')]),
    message('ses_p', 'assistant', [
      call('c3', 'task', { agent: 'test', prompt: 'run it', session_id: 'ses_t' }),
    ]),
    message('ses_p', 'tool', [taskResult('c3', 'test', 'ses_t', 'It fails.', 'max_iterations')]),
    message('ses_p', 'assistant', [text('All done.')]),
  ]
  const children = new Map<string, Message[]>([
    [
      'ses_e',
      [
        message('ses_e', 'user', [text('find the parser')]),
        message('ses_e', 'assistant', [call('c1', 'grep', { pattern: 'parse' })]),
        message('ses_e', 'tool', [result('c1', 'grep', 'src/parse.ts:1')]),
        message('ses_e', 'assistant', [text('In src/parse.ts.')]),
      ],
    ],
    [
      'ses_t',
      [
        message('ses_t', 'user', [text('add a test')]),
        message('ses_t', 'assistant', [call('c1', 'task', { agent: 'explore', prompt: 'where are tests?' })]),
        message('ses_t', 'tool', [taskResult('c1', 'explore', 'ses_g', 'In test/.')]),
        message('ses_t', 'assistant', [call('c2', 'write_file', { path: 'test/p.test.ts' })]),
        message('ses_t', 'tool', [result('c2', 'write_file', 'wrote')]),
        message('ses_t', 'assistant', [text('Added it.')]),
        message('ses_t', 'user', [text('run it')]),
        message('ses_t', 'assistant', [call('c3', 'run_command', { command: 'npm test' })]),
        message('ses_t', 'tool', [result('c3', 'run_command', 'FAIL')]),
      ],
    ],
    [
      'ses_g',
      [
        message('ses_g', 'user', [text('where are tests?')]),
        message('ses_g', 'assistant', [call('c1', 'list_files', { path: 'test' })]),
        message('ses_g', 'tool', [result('c1', 'list_files', 'p.test.ts')]),
      ],
    ],
  ])
  return { parent, children }
}

/** Each item as one line: indentation = depth, then what it is. */
function outline(items: readonly ChatItem[]): string[] {
  return items.map((item) => {
    const depth = item.kind === 'tool' || item.kind === 'subagent' ? (item.nest?.depth ?? 0) : 0
    const pad = '  '.repeat(depth)
    switch (item.kind) {
      case 'subagent':
        return `${pad}[${item.nest.agent} ${item.status}] ${item.prompt} → ${item.text ?? ''}`
      case 'tool':
        return `${pad}${item.tool} (${item.callId})`
      default:
        return `${pad}${item.kind}: ${'text' in item ? item.text : ''}`
    }
  })
}

describe("sub-agents' panels from stored sessions", () => {
  it('names the child sessions of the stored task calls, each once', () => {
    const { parent, children } = stored()
    expect(taskSessionIds(itemsFromMessages(parent))).toEqual(['ses_e', 'ses_t'])
    expect(taskSessionIds(itemsFromMessages(children.get('ses_t') ?? []))).toEqual(['ses_g'])
  })

  it('nests each call’s run under it, a continued child’s second run under the second call, grandchildren deeper', () => {
    const { parent, children } = stored()
    const items = withStoredSubagents(itemsFromMessages(parent), children)
    expect(outline(items)).toEqual([
      'user: check the code',
      'task (c1)',
      '  [explore completed] find the parser → In src/parse.ts.',
      '  grep (ses_e:c1)',
      'task (c2)',
      '  [test completed] add a test → Added it.',
      '  task (ses_t:c1)',
      '    [explore completed] where are tests? → In test/.',
      '    list_files (ses_g:c1)',
      '  write_file (ses_t:c2)',
      'task (c3)',
      '  [test max_iterations] run it → It fails.',
      '  run_command (ses_t:c3)',
      'assistant: All done.',
    ])
    // Keys stay unique although child call ids repeat across sessions.
    expect(new Set(items.map((item) => item.key)).size).toBe(items.length)
  })

  it('through the reducer: a second load does not add the panels twice; a missing child leaves its call alone', () => {
    const { parent, children } = stored()
    const session = {
      id: 'ses_p',
      title: null,
      workspace: '/w',
      model: null,
      project_id: null,
      parent_id: null,
      parent_session_id: null,
      agent: null,
      forked_from_checkpoint_id: null,
      message_count: parent.length,
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: 0,
      auto_approve: false,
      active_run_id: null,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    }
    let state = chatReducer(initialChatState(), {
      type: 'loaded',
      messages: parent,
      session,
      permissions: [],
    })
    state = chatReducer(state, { type: 'children', children })
    const once = outline(state.items)
    state = chatReducer(state, { type: 'children', children })
    expect(outline(state.items)).toEqual(once)

    const partial = withStoredSubagents(
      itemsFromMessages(parent),
      new Map([['ses_e', children.get('ses_e') ?? []]]),
    )
    expect(outline(partial).filter((line) => line.startsWith('  ['))).toEqual([
      '  [explore completed] find the parser → In src/parse.ts.',
    ])
  })
})
