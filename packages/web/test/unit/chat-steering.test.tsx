// @vitest-environment happy-dom
// Messages typed while a run works: the waiting line beside the composer (reducer), and the
// composer's keys and buttons while running.
import { act } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { Composer } from '../../src/app/chat/composer.js'
import { QueuedMessages } from '../../src/app/chat/queued-messages.js'
import { ev, loaded, run, usage } from './chat-fixtures.js'
import { render, rerender } from './render.js'

const started = ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'fix it' })

describe('messages for the run in progress', () => {
  it('wait beside the composer until the run reads them, then are user turns where it did', () => {
    let state = run(
      loaded(),
      { type: 'prompt', text: 'fix it' },
      started,
      { type: 'queue', delivery: 'steer', text: 'only a.ts' },
      { type: 'queue', delivery: 'follow_up', text: 'then test' },
    )
    expect(state.queued).toMatchObject([
      { delivery: 'steer', text: 'only a.ts', state: 'sending' },
      { delivery: 'follow_up', text: 'then test', state: 'sending' },
    ])
    state = run(
      state,
      { type: 'queue-accepted', delivery: 'steer', text: 'only a.ts', answered: 'steer' },
      { type: 'queue-accepted', delivery: 'follow_up', text: 'then test', answered: 'follow_up' },
      ev({ type: 'turn.started', iteration: 1 }),
      ev({ type: 'message.delivered', delivery: 'steer', text: 'only a.ts' }),
    )
    expect(state.queued).toMatchObject([{ delivery: 'follow_up', text: 'then test', state: 'queued' }])
    expect(state.items.flatMap((item) => (item.kind === 'user' ? [item.text] : []))).toEqual([
      'fix it',
      'only a.ts',
    ])
    state = run(state, ev({ type: 'message.delivered', delivery: 'follow_up', text: 'then test' }))
    expect(state.queued).toEqual([])
    expect(state.items.at(-1)).toMatchObject({ kind: 'user', text: 'then test' })
  })

  it("one that started a run goes with that run's start; one the run ended without reading goes with its end", () => {
    let state = run(
      loaded(),
      started,
      { type: 'queue', delivery: 'steer', text: 'late' },
      { type: 'queue', delivery: 'follow_up', text: 'never read' },
      { type: 'queue-accepted', delivery: 'follow_up', text: 'never read', answered: 'follow_up' },
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
    // Still on its way when the run ended: it waits for the server's answer.
    expect(state.queued.map((message) => message.text)).toEqual(['late'])
    state = run(state, { type: 'queue-accepted', delivery: 'steer', text: 'late', answered: 'prompt' })
    expect(state.queued).toEqual([])
    // A run started with it: shown as that run's prompt.
    state = run(
      state,
      { type: 'queue', delivery: 'steer', text: 'next' },
      ev({ type: 'run.started', model: 'm', workspace: '/w', prompt: 'next' }, 'run_2'),
    )
    expect(state.queued).toEqual([])
    expect(state.items.at(-1)).toMatchObject({ kind: 'user', text: 'next' })
    state = run(
      state,
      { type: 'queue', delivery: 'steer', text: 'refused' },
      { type: 'queue-failed', delivery: 'steer', text: 'refused', message: 'Not sent: busy' },
    )
    expect(state.queued).toEqual([])
    expect(state.items.at(-1)).toMatchObject({ kind: 'notice', tone: 'error', text: 'Not sent: busy' })
  })
})

function type(area: HTMLTextAreaElement, text: string) {
  act(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set
    setter?.call(area, text)
    area.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

function press(area: HTMLTextAreaElement, init: KeyboardEventInit) {
  act(() => {
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, ...init }))
  })
}

describe('Composer while a run works', () => {
  it('Enter steers, Alt+Enter and the button queue a follow-up, Stop stays; idle, Enter sends', () => {
    const onSend = vi.fn()
    const onPost = vi.fn()
    const onStop = vi.fn()
    const props = { cancelling: false, onSend, onPost, onStop }
    const el = render(<Composer running {...props} />)
    const area = el.querySelector('textarea') as HTMLTextAreaElement
    expect(area.disabled).toBe(false)
    type(area, 'only a.ts')
    press(area, {})
    expect(onPost).toHaveBeenLastCalledWith('only a.ts', 'steer')
    expect(area.value).toBe('')
    type(area, 'then test')
    press(area, { altKey: true })
    expect(onPost).toHaveBeenLastCalledWith('then test', 'follow_up')
    type(area, 'and lint')
    const follow = [...el.querySelectorAll('button')].find(
      (button) => button.textContent === 'Queue follow-up',
    )
    act(() => follow?.click())
    expect(onPost).toHaveBeenLastCalledWith('and lint', 'follow_up')
    const stop = [...el.querySelectorAll('button')].find((button) => button.textContent === 'Stop')
    act(() => stop?.click())
    expect(onStop).toHaveBeenCalledTimes(1)
    expect(onSend).not.toHaveBeenCalled()

    rerender(<Composer running={false} {...props} />)
    type(area, 'new prompt')
    press(area, {})
    expect(onSend).toHaveBeenCalledWith('new prompt')
    expect(onPost).toHaveBeenCalledTimes(3)
  })

  it('lists what waits for the run: its kind, its text, whether the server has it', () => {
    const el = render(
      <QueuedMessages
        queued={[
          { key: 'a', delivery: 'steer', text: 'only a.ts', state: 'queued' },
          { key: 'b', delivery: 'follow_up', text: 'then test', state: 'sending' },
        ]}
      />,
    )
    const rows = [...el.querySelectorAll('li')].map((row) => row.textContent)
    expect(rows).toEqual([
      'steering only a.ts waiting — read before its next step',
      'follow-up then test sending…',
    ])
  })
})
