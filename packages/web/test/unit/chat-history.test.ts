// The chat reducer over stored conversations: history, reloads mid-run, asks fetched later, totals.
// The terminal's render tests (apps/cli/test/render-*.test.ts) spell out the same kinds of payload,
// on purpose: each renderer's test states its own input, and the UI's tests take the SDK's types
// only (the UI depends on no other Penguin package).
import type { Message, Permission, ToolDetails } from '@penguin-ai/sdk'
import { describe, expect, it } from 'vitest'
import type { TextItem, ToolItem } from '../../src/app/chat/chat-types.js'
import { ev, LS_PREVIEW, loaded, message, RUN, run, session } from './chat-fixtures.js'

describe('chatReducer: stored history', () => {
  it('shows stored reasoning collapsed, skips hidden reasoning, and keeps images with their message', () => {
    const png = { type: 'image', media_type: 'image/png', data: 'iVBORw0KGgo=' } as const
    const state = loaded([
      message(1, 'user', [{ type: 'text', text: 'what is this?' }, png]),
      message(2, 'assistant', [
        { type: 'reasoning', text: '', api: 'anthropic-messages', redacted: 'xyz' },
        { type: 'reasoning', text: 'A picture.', api: 'anthropic-messages', signature: 'sig' },
        { type: 'text', text: 'Let me read it.' },
        { type: 'tool_call', id: 'c1', name: 'read_file', arguments: '{"path":"a.png"}' },
      ]),
      message(3, 'tool', [
        {
          type: 'tool_result',
          tool_call_id: 'c1',
          name: 'read_file',
          content: '',
          is_error: false,
          images: [png],
        },
      ]),
    ])
    expect(state.items).toMatchObject([
      { kind: 'user', text: 'what is this?', images: [{ mediaType: 'image/png', data: 'iVBORw0KGgo=' }] },
      { kind: 'reasoning', text: 'A picture.' },
      { kind: 'assistant', text: 'Let me read it.' },
      { kind: 'tool', callId: 'c1', status: 'done', images: [{ mediaType: 'image/png' }] },
    ])
  })

  it('builds stored conversations and attaches pending asks to their tool calls', () => {
    const messages: Message[] = [
      message(1, 'user', [{ type: 'text', text: 'edit it' }]),
      message(2, 'assistant', [
        { type: 'text', text: 'Editing.' },
        { type: 'tool_call', id: 'c9', name: 'write_file', arguments: '{"path":"x.txt","content":"hi"}' },
      ]),
    ]
    const permissions: Permission[] = [
      {
        id: 'p9',
        session_id: 'ses_1',
        run_id: RUN,
        call_id: 'c9',
        tool: 'write_file',
        access: 'write',
        subject: 'x.txt',
        args: {},
        preview: { kind: 'generic', summary: 'x.txt', args: {} },
        asked_at: '2025-01-01T00:00:00Z',
      },
    ]
    const state = loaded(messages, permissions, { active_run_id: RUN })
    expect(state.run?.id).toBe(RUN)
    const tool = state.items[2] as ToolItem
    expect(tool).toMatchObject({ kind: 'tool', tool: 'write_file', args: { path: 'x.txt', content: 'hi' } })
    expect(tool.permission).toMatchObject({ id: 'p9', state: 'pending', preview: { summary: 'x.txt' } })
  })

  it('stored results keep their details, so history renders like the live run', () => {
    const details: ToolDetails = {
      kind: 'command',
      summary: 'npm test — exit 1',
      command: 'npm test',
      cwd: '.',
      exitCode: 1,
      signal: null,
      timedOut: false,
      aborted: false,
      durationMs: 10,
      stdout: '',
      stderr: 'boom',
    }
    const state = loaded([
      message(1, 'assistant', [
        { type: 'tool_call', id: 'c1', name: 'run_command', arguments: '{"command":"npm test"}' },
      ]),
      message(2, 'tool', [
        {
          type: 'tool_result',
          tool_call_id: 'c1',
          name: 'run_command',
          content: 'Exit code: 1',
          is_error: true,
          details,
        },
      ]),
    ])
    expect(state.items).toMatchObject([{ kind: 'tool', callId: 'c1', status: 'error', details }])
  })

  it('after a reload mid-run, ignores replayed earlier runs and replaces the stored part of the current one', () => {
    const messages: Message[] = [
      message(1, 'user', [{ type: 'text', text: 'first' }]),
      message(2, 'assistant', [{ type: 'text', text: 'First answer.' }]),
      message(3, 'user', [{ type: 'text', text: 'second' }]),
      message(4, 'assistant', [{ type: 'text', text: 'Stored part of the second run.' }]),
    ]
    const state = run(
      loaded(messages, [], { active_run_id: 'run_2' }),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'first' }, 'run_0'),
      ev({ type: 'text.delta', delta: 'First answer.' }, 'run_0'),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'second' }, 'run_2'),
      ev({ type: 'turn.started', iteration: 1 }, 'run_2'),
      ev({ type: 'text.delta', delta: 'Stored part of the second run.' }, 'run_2'),
      ev({ type: 'text.delta', delta: ' And more.' }, 'run_2'),
    )
    expect(state.items.map((item) => (item as TextItem).text)).toEqual([
      'first',
      'First answer.',
      'second',
      'Stored part of the second run. And more.',
    ])
    expect(state.waitForRun).toBeUndefined()
  })

  it('adds asks fetched after the messages, without reopening one answered meanwhile', () => {
    const ask: Permission = {
      id: 'p1',
      session_id: 'ses_1',
      run_id: RUN,
      call_id: 'c1',
      tool: 'run_command',
      access: 'execute',
      subject: 'ls',
      args: { command: 'ls' },
      preview: LS_PREVIEW,
      asked_at: '2025-01-01T00:00:00Z',
    }
    const asked = run(loaded(), { type: 'permissions', permissions: [ask] })
    expect(asked.items[0]).toMatchObject({ kind: 'tool', callId: 'c1', permission: { state: 'pending' } })
    const answered = run(
      loaded(),
      ev({ type: 'tool.started', callId: 'c1', tool: 'run_command', args: { command: 'ls' }, title: 'ls' }),
      ev({
        type: 'permission.asked',
        id: 'p1',
        callId: 'c1',
        tool: 'run_command',
        access: 'execute',
        subject: 'ls',
        args: {},
        preview: LS_PREVIEW,
      }),
      ev({
        type: 'permission.answered',
        id: 'p1',
        callId: 'c1',
        tool: 'run_command',
        reply: 'always',
        auto: false,
      }),
      { type: 'permissions', permissions: [ask] },
    )
    expect(answered.items).toHaveLength(1)
    expect(answered.items[0]).toMatchObject({ permission: { state: 'always' } })
  })

  it('refreshes totals from the session record between runs', () => {
    const state = run(loaded(), {
      type: 'session',
      session: session({ input_tokens: 999, cache_read_tokens: 900, output_tokens: 9, cost_usd: 1 }),
    })
    expect(state.totals).toEqual({ inputTokens: 999, cacheReadTokens: 900, outputTokens: 9, costUsd: 1 })
  })
})
