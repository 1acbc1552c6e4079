// The chat reducer over a live run's events (stored history: chat-history.test.ts).
import { describe, expect, it } from 'vitest'
import type { TextItem } from '../../src/app/chat/chat-types.js'
import { EDIT_DETAILS, EDIT_PREVIEW, ev, loaded, RUN, run, usage } from './chat-fixtures.js'

describe('chatReducer', () => {
  it('a compaction shows what it did: summarised, pruned, truncated — or only pruned/truncated without a summary', () => {
    const compacted = {
      type: 'context.compacted',
      reason: 'threshold',
      tokensBefore: 54836,
      tokensAfter: 5459,
    } as const
    const state = run(
      loaded(),
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'read' }),
      ev({ ...compacted, keptMessages: 5, prunedOutputs: 0, truncatedOutputs: 3, summarisedMessages: 0 }),
      ev({ ...compacted, keptMessages: 7, prunedOutputs: 3, truncatedOutputs: 0, summarisedMessages: 0 }),
      ev({
        ...compacted,
        summary: 'S',
        keptMessages: 2,
        prunedOutputs: 1,
        truncatedOutputs: 0,
        summarisedMessages: 6,
      }),
    )
    expect(state.items.flatMap((item) => (item.kind === 'notice' ? [item.text] : []))).toEqual([
      'Context compacted (threshold): 54836 → 5459 tokens; 3 new tool results truncated to fit.',
      'Context compacted (threshold): 54836 → 5459 tokens; 3 old tool outputs pruned.',
      'Context compacted (threshold): 54836 → 5459 tokens; 6 older messages summarised, 1 old tool outputs pruned.',
    ])
  })

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

  it('a run taken over by another worker (its worker died mid-call) leaves no card spinning', () => {
    const state = run(
      loaded(),
      { type: 'prompt', text: 'fix it' },
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'fix it' }),
      ev({
        type: 'tool.started',
        callId: 'c1',
        tool: 'run_command',
        args: { command: 'make' },
        title: 'make',
      }),
      // The worker running it was SIGKILLed; another continues the same run.
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: '[Penguin] The worker … stopped' }),
      ev({
        type: 'tool.started',
        callId: 'c2',
        tool: 'run_command',
        args: { command: 'make' },
        title: 'make',
      }),
    )
    expect(state.items.filter((item) => item.kind === 'tool').map((item) => item.status)).toEqual([
      'called',
      'running',
    ])
    const ended = run(
      state,
      ev({
        type: 'run.finished',
        status: 'completed',
        text: '',
        usage,
        cost: 0,
        iterations: 1,
        durationMs: 1,
      }),
    )
    expect(ended.items.filter((item) => item.kind === 'tool').map((item) => item.status)).toEqual([
      'called',
      'called',
    ])
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
})
