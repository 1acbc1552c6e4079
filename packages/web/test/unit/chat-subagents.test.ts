// The chat reducer over sub-agents' events, nested under their `task` calls.
// The terminal's render tests (apps/cli/test/render-*.test.ts) spell out the same kinds of payload,
// on purpose: each renderer's test states its own input, and the UI's tests take the SDK's types
// only (the UI depends on no other Penguin package).

import { describe, expect, it } from 'vitest'
import type { ChatAction } from '../../src/app/chat/chat-reducer.js'
import type { ToolItem } from '../../src/app/chat/chat-types.js'
import { EDIT_PREVIEW, ev, loaded, run, usage } from './chat-fixtures.js'

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
