/** Sub-agents on a terminal: indented and labelled (plain renderer), collapsed until ctrl+o (TUI). */
// The web UI's unit tests (packages/web/test/unit) render the same kinds of payload in React and
// spell them out too, on purpose: each renderer's test states its own input, and the web UI's tests
// take the SDK's types only (the UI depends on no other Penguin package).
import type { EngineEvent } from '@penguin-ai/engine'
import { describe, expect, test } from 'vitest'
import { createHumanRenderer } from '../src/render/human.js'
import { painter } from '../src/render/paint.js'
import { renderPermissionPreview } from '../src/render/permission-preview.js'
import { style } from '../src/tui/ansi.js'
import { TurnView } from '../src/tui/turn-view.js'

const at = { runId: 'run_1', time: 0, sessionId: 'ses_parent' }
const child = { runId: 'run_c', time: 0, sessionId: 'ses_child', parentSessionId: 'ses_parent' }
const usage = {
  inputTokens: 100,
  outputTokens: 10,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cachedInputTokens: 0,
  totalTokens: 110,
}
const wrap = (event: Record<string, unknown>): EngineEvent => ({
  ...at,
  type: 'subagent.event',
  callId: 'call_task',
  agent: 'explore',
  depth: 1,
  event: { ...child, ...event } as EngineEvent,
})

const events: EngineEvent[] = [
  { ...at, type: 'tool.started', callId: 'call_task', tool: 'task', args: {}, title: 'explore: find add' },
  wrap({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'Where is add defined?' }),
  wrap({ type: 'tool.started', callId: 'call_1', tool: 'grep', args: {}, title: 'add' }),
  wrap({
    type: 'tool.finished',
    callId: 'call_1',
    tool: 'grep',
    isError: false,
    output: 'src/add.js:1',
    details: { kind: 'generic', summary: 'add (1 match)' },
    durationMs: 1,
  }),
  wrap({
    type: 'run.finished',
    status: 'completed',
    text: 'In src/add.js',
    usage,
    cost: 0,
    iterations: 2,
    durationMs: 1,
  }),
  {
    ...at,
    type: 'tool.finished',
    callId: 'call_task',
    tool: 'task',
    isError: false,
    output: 'In src/add.js',
    details: { kind: 'generic', summary: 'explore · completed · 2 turns' },
    durationMs: 1,
  },
]

function sink() {
  const chunks: string[] = []
  return { write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') }
}

describe('sub-agents on a terminal', () => {
  test('penguin run: every step of the child, indented under the call and labelled with its agent', () => {
    const text = sink()
    const info = sink()
    const render = createHumanRenderer({ text, info, color: false })
    for (const event of events) render(event)
    expect(info.text()).toBe(
      [
        '  │ ▸ [explore] Where is add defined?',
        '  │ [explore] ✓ grep add (1 match)',
        '  │ ✓ [explore] done · 2 turns · 110 tokens',
        '✓ task explore · completed · 2 turns',
        '',
      ].join('\n'),
    )
    expect(text.text()).toBe('')
  })

  test('terminal UI: the child collapsed to its start and end; ctrl+o on the task expands it', () => {
    const printed: string[] = []
    const view = new TurnView({
      style: style(false),
      paint: painter(false),
      width: () => 100,
      print: (rows) => printed.push(...rows),
    })
    view.onEvent(events[0] as EngineEvent)
    view.onEvent(events[1] as EngineEvent)
    view.onEvent(events[2] as EngineEvent)
    expect(view.liveRows()).toContain('  │ ⋯ [explore] running grep add')
    for (const event of events.slice(3)) view.onEvent(event)
    expect(printed).toEqual([
      '  │ ▸ [explore] Where is add defined?',
      '  │ ✓ [explore] done · 2 turns · 110 tokens (ctrl+o to expand)',
      '✓ task explore · completed · 2 turns',
    ])
    expect(view.expanded()).toEqual([
      '✓ task explore · completed · 2 turns',
      '  │ ▸ [explore] Where is add defined?',
      '  │ [explore] ✓ grep add (1 match)',
      '  │ ✓ [explore] done · 2 turns · 110 tokens',
    ])
  })

  test("a child's permission question is labelled with its agent", () => {
    const text = renderPermissionPreview(
      {
        tool: 'write_file',
        agent: 'test',
        preview: { kind: 'generic', summary: 'a.test.js', args: {} },
      },
      { width: 80, paint: painter(false) },
    )
    expect(text.split('\n')[0]).toBe('? [test] Allow write_file a.test.js?')
  })
})
