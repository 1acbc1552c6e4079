import type {
  Message,
  Permission,
  PermissionPreview,
  Session,
  SessionEvent,
  ToolDetails,
} from '@penguin-ai/sdk'
import { describe, expect, it } from 'vitest'
import { type ChatAction, chatReducer, initialChatState } from '../../src/app/chat/chat-reducer.js'
import type { ChatState, TextItem, ToolItem } from '../../src/app/chat/chat-types.js'

const RUN = 'run_1'
const usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cachedInputTokens: 0,
  totalTokens: 0,
}

function session(patch: Partial<Session> = {}): Session {
  return {
    id: 'ses_1',
    title: null,
    workspace: '/w',
    model: 'openai/gpt-4o',
    project_id: null,
    parent_id: null,
    parent_session_id: null,
    agent: null,
    forked_from_checkpoint_id: null,
    message_count: 0,
    input_tokens: 100,
    output_tokens: 10,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0.5,
    auto_approve: false,
    active_run_id: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...patch,
  }
}

type Body = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'runId' | 'time' | 'session_id' | 'run_id'>
    : never
  : never

function ev(body: Body, runId = RUN): ChatAction {
  return {
    type: 'event',
    event: { ...body, runId, time: 0, session_id: 'ses_1', run_id: runId } as SessionEvent,
  }
}

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state)
}

function loaded(
  messages: Message[] = [],
  permissions: Permission[] = [],
  patch: Partial<Session> = {},
): ChatState {
  return chatReducer(initialChatState(), { type: 'loaded', messages, session: session(patch), permissions })
}

const EDIT_PREVIEW: PermissionPreview = {
  kind: 'file-edit',
  summary: 'a.ts (+1 -1)',
  files: [{ path: 'a.ts', operation: 'modify', added: 1, removed: 1, diff: '--- a/a.ts\n+++ b/a.ts\n' }],
}
const EDIT_DETAILS: ToolDetails = { ...EDIT_PREVIEW }
const LS_PREVIEW: PermissionPreview = {
  kind: 'command',
  summary: 'ls',
  command: 'ls',
  cwd: '.',
  realCwd: '/w',
}

describe('chatReducer', () => {
  it('a message delivered to the run in progress (steering, a follow-up) shows as a user turn where the model read it', () => {
    const state = run(
      loaded(),
      { type: 'prompt', text: 'fix it' },
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'fix it' }),
      ev({ type: 'turn.started', iteration: 1 }),
      ev({ type: 'text.delta', delta: 'Looking.' }),
      ev({ type: 'message.delivered', delivery: 'steer', text: 'only a.ts please' }),
      ev({ type: 'turn.started', iteration: 2 }),
      ev({ type: 'text.delta', delta: 'Only a.ts then.' }),
    )
    expect(state.items).toMatchObject([
      { kind: 'user', text: 'fix it' },
      { kind: 'assistant', text: 'Looking.', streaming: false },
      { kind: 'user', text: 'only a.ts please' },
      { kind: 'assistant', text: 'Only a.ts then.', streaming: true },
    ])
  })

  it('streams a run: prompt, text deltas, a tool call with its permission ask and result, usage, the end', () => {
    let state = run(loaded(), { type: 'prompt', text: 'fix it' })
    expect(state.items).toMatchObject([{ kind: 'user', text: 'fix it', pending: true }])
    state = run(
      state,
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'fix it' }),
      ev({ type: 'turn.started', iteration: 1 }),
      ev({ type: 'text.delta', delta: 'Let me ' }),
      ev({ type: 'text.delta', delta: 'look.' }),
    )
    expect(state.run?.id).toBe(RUN)
    expect(state.items).toMatchObject([
      { kind: 'user', text: 'fix it', pending: false },
      { kind: 'assistant', text: 'Let me look.', streaming: true },
    ])
    const userBefore = state.items[0]
    state = run(
      state,
      ev({ type: 'tool.started', callId: 'c1', tool: 'edit_file', args: { path: 'a.ts' }, title: 'a.ts' }),
      ev({
        type: 'permission.asked',
        id: 'p1',
        callId: 'c1',
        tool: 'edit_file',
        access: 'write',
        subject: 'a.ts',
        args: {},
        preview: EDIT_PREVIEW,
      }),
    )
    expect(state.items[0]).toBe(userBefore) // untouched items keep their identity (memoised rows)
    expect(state.items[1]).toMatchObject({ kind: 'assistant', streaming: false })
    expect(state.items[2]).toMatchObject({
      kind: 'tool',
      callId: 'c1',
      status: 'running',
      live: true,
      title: 'a.ts',
      permission: { id: 'p1', state: 'pending', access: 'write', preview: EDIT_PREVIEW },
    })
    state = run(
      state,
      { type: 'permission', id: 'p1', state: 'sending' },
      ev({
        type: 'permission.answered',
        id: 'p1',
        callId: 'c1',
        tool: 'edit_file',
        reply: 'once',
        auto: false,
      }),
      ev({
        type: 'tool.finished',
        callId: 'c1',
        tool: 'edit_file',
        isError: false,
        output: 'Edited a.ts',
        details: EDIT_DETAILS,
        durationMs: 5,
      }),
      ev({
        type: 'usage',
        usage,
        total: {
          inputTokens: 50,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          cachedInputTokens: 0,
          totalTokens: 55,
        },
        cost: 0.01,
        totalCost: 0.01,
      }),
    )
    expect(state.items[2]).toMatchObject({
      status: 'done',
      output: 'Edited a.ts',
      details: EDIT_DETAILS,
      durationMs: 5,
      permission: { state: 'once', auto: false },
    })
    expect(state.totals).toEqual({ inputTokens: 150, cacheReadTokens: 0, outputTokens: 15, costUsd: 0.51 })
    state = run(
      state,
      ev({ type: 'turn.started', iteration: 2 }),
      ev({ type: 'text.delta', delta: 'Done.' }),
      ev({
        type: 'run.finished',
        status: 'completed',
        text: 'Done.',
        usage: {
          inputTokens: 60,
          outputTokens: 7,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          cachedInputTokens: 0,
          totalTokens: 67,
        },
        cost: 0.02,
        iterations: 2,
        durationMs: 10,
      }),
    )
    expect(state.run).toBeNull()
    expect(state.lastOutcome).toEqual({ status: 'completed' })
    expect(state.items.at(-1)).toMatchObject({ kind: 'assistant', text: 'Done.', streaming: false })
    expect(state.totals).toEqual({ inputTokens: 160, cacheReadTokens: 0, outputTokens: 17, costUsd: 0.52 })
    expect(new Set(state.items.map((item) => item.key)).size).toBe(state.items.length)
  })

  it('drops the partial text of a retried turn', () => {
    const state = run(
      loaded(),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'hi' }),
      ev({ type: 'turn.started', iteration: 1 }),
      ev({ type: 'text.delta', delta: 'Half an ans' }),
      ev({ type: 'turn.retry', attempt: 1, delayMs: 100, reason: 'connection reset' }),
      ev({ type: 'text.delta', delta: 'A whole answer.' }),
    )
    expect(
      state.items.filter((item) => item.kind === 'assistant').map((item) => (item as TextItem).text),
    ).toEqual(['A whole answer.'])
    expect(state.run?.retry).toContain('connection reset')
  })

  it('streams reasoning into its own item, apart from the answer, and drops it with a retried turn', () => {
    let state = run(
      loaded(),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'hi' }),
      ev({ type: 'turn.started', iteration: 1 }),
      ev({ type: 'reasoning.delta', delta: 'The user ' }),
      ev({ type: 'reasoning.delta', delta: 'greets me.' }),
      ev({ type: 'text.delta', delta: 'Hello!' }),
    )
    expect(state.items.slice(1)).toMatchObject([
      { kind: 'reasoning', text: 'The user greets me.', streaming: false },
      { kind: 'assistant', text: 'Hello!', streaming: true },
    ])
    state = run(state, ev({ type: 'turn.retry', attempt: 1, delayMs: 0, reason: 'reset' }))
    expect(state.items.map((item) => item.kind)).toEqual(['user'])
  })

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

  it('notes runs that do not complete, and a failed send', () => {
    let state = run(
      loaded(),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'slow' }),
      ev({
        type: 'run.finished',
        status: 'aborted',
        text: '',
        usage,
        cost: 0,
        iterations: 1,
        durationMs: 1,
      }),
    )
    expect(state.items.at(-1)).toMatchObject({ kind: 'notice', text: 'Stopped.' })
    state = run(
      state,
      { type: 'prompt', text: 'again' },
      { type: 'prompt-failed', text: 'again', message: 'Not sent: busy' },
    )
    expect(state.items.some((item) => item.kind === 'user' && item.text === 'again')).toBe(false)
    expect(state.items.at(-1)).toMatchObject({ kind: 'notice', tone: 'error', text: 'Not sent: busy' })
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

function message(id: number, role: Message['role'], parts: Message['parts']): Message {
  return {
    id,
    session_id: 'ses_1',
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

describe("sub-agents' events", () => {
  const inner = (body: Record<string, unknown>) =>
    ({ ...body, runId: 'child-run', time: 0, sessionId: 'ses_child', parentSessionId: 'ses_1' }) as never
  const sub = (body: Record<string, unknown>): ChatAction =>
    ev({ type: 'subagent.event', callId: 'call_task', agent: 'test', depth: 1, event: inner(body) })

  it('nest the child: a header, its calls and its asks (answerable here), then its outcome', () => {
    const state = run(
      loaded(),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'go' }),
      ev({ type: 'tool.started', callId: 'call_task', tool: 'task', args: {}, title: 'test: add a test' }),
      sub({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'Add a test' }),
      sub({ type: 'tool.started', callId: 'call_1', tool: 'write_file', args: {}, title: 'a.test.js' }),
      sub({
        type: 'permission.asked',
        id: 'perm_1',
        callId: 'call_1',
        tool: 'write_file',
        access: 'write',
        subject: 'a.test.js',
        args: {},
        preview: EDIT_PREVIEW,
        agent: 'test',
      }),
    )
    const header = state.items.find((item) => item.kind === 'subagent')
    expect(header).toMatchObject({
      nest: { agent: 'test', sessionId: 'ses_child', depth: 1 },
      status: 'running',
    })
    const call = state.items.find((item) => item.kind === 'tool' && item.tool === 'write_file') as ToolItem
    expect(call).toMatchObject({
      callId: 'ses_child:call_1',
      nest: { agent: 'test' },
      permission: { id: 'perm_1', state: 'pending' },
    })
    const after = run(
      state,
      sub({
        type: 'permission.answered',
        id: 'perm_1',
        callId: 'call_1',
        tool: 'write_file',
        reply: 'once',
        auto: false,
      }),
      sub({
        type: 'tool.finished',
        callId: 'call_1',
        tool: 'write_file',
        isError: false,
        output: 'ok',
        details: { kind: 'generic', summary: 'a.test.js' },
        durationMs: 1,
      }),
      sub({
        type: 'run.finished',
        status: 'completed',
        text: 'Wrote it.',
        usage,
        cost: 0,
        iterations: 2,
        durationMs: 1,
      }),
    )
    expect(after.items.find((item) => item.kind === 'subagent')).toMatchObject({
      status: 'completed',
      text: 'Wrote it.',
    })
    expect(after.items.find((item) => item.kind === 'tool' && item.tool === 'write_file')).toMatchObject({
      status: 'done',
      permission: { state: 'once' },
    })
    // The child's run.finished is not the parent's: the parent's run goes on.
    expect(after.run).not.toBeNull()
  })
})
