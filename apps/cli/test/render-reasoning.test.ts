/** The model's reasoning on a terminal: dimmed apart from the answer, hidden by --hide-reasoning. */
import type { EngineEvent } from '@penguin-ai/engine'
import { describe, expect, test } from 'vitest'
import { createHumanRenderer } from '../src/render/human.js'
import { painter } from '../src/render/paint.js'
import { style } from '../src/tui/ansi.js'
import { TurnView } from '../src/tui/turn-view.js'

const at = { runId: 'run_1', time: 0 }
const events: EngineEvent[] = [
  { ...at, type: 'reasoning.delta', delta: 'First, ' },
  { ...at, type: 'reasoning.delta', delta: 'read the test.' },
  { ...at, type: 'text.delta', delta: 'The answer.\n' },
]

function sink() {
  const chunks: string[] = []
  return { write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') }
}

describe('reasoning', () => {
  test('penguin run: dimmed on the info stream, the answer on its own line; hidden on request', () => {
    const text = sink()
    const info = sink()
    const render = createHumanRenderer({ text, info, color: true })
    for (const event of events) render(event)
    expect(info.text()).toBe('\u001b[2m✻ First, \u001b[22m\u001b[2mread the test.\u001b[22m\n')
    expect(text.text()).toBe('The answer.\n')

    const hiddenInfo = sink()
    const hidden = createHumanRenderer({ text: sink(), info: hiddenInfo, color: true, hideReasoning: true })
    for (const event of events) hidden(event)
    expect(hiddenInfo.text()).toBe('')
  })

  test('penguin chat: the live row shows the reasoning being thought, unless hidden', () => {
    const view = (hideReasoning: boolean) =>
      new TurnView({
        style: style(false),
        paint: painter(false),
        width: () => 80,
        print: () => {},
        hideReasoning,
      })
    const shown = view(false)
    const hidden = view(true)
    for (const event of events.slice(0, 2)) {
      shown.onEvent(event)
      hidden.onEvent(event)
    }
    expect(shown.liveRows()).toEqual(['✻ First, read the test.'])
    expect(hidden.liveRows()).toEqual([])
    expect(hidden.activity).toBe('thinking')
  })
})
