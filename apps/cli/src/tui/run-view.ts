/**
 * `penguin run` at a terminal: the chat UI's renderer without the prompt. The answer's Markdown as
 * it streams, a line per tool call, the diff of each edit, the tail of a command's output while it
 * runs, a status line (spinner, elapsed time, tokens, cost, model), and the summary. Everything
 * goes to stderr, which is the same terminal as stdout here; with either redirected `penguin run`
 * prints plain lines instead (and `--json` never loads this).
 */
import type { EngineEvent } from '@penguin-ai/engine'
import type { DenialLog } from '../render/denials.js'
import { blockedLine, summaryLine } from '../render/human.js'
import { painter, useColor } from '../render/paint.js'
import { style as makeStyle } from './ansi.js'
import { LiveScreen } from './screen.js'
import { statusLine } from './status.js'
import { TurnView } from './turn-view.js'

export interface RunView {
  (event: EngineEvent): void
  /** Clears the live area while something else uses the terminal (a permission question). */
  pause(): void
  resume(): void
  /** A line of our own (the interrupt notice). */
  note(text: string): void
  close(): void
}

export function createRunView(options: {
  model: string
  denials: DenialLog
  /** `--hide-reasoning`: the model's reasoning is not shown while it thinks. */
  hideReasoning?: boolean | undefined
}): RunView {
  const out = process.stderr
  const color = useColor(out)
  const paint = painter(color)
  const style = makeStyle(color)
  let scheduled = false
  let paused = false
  let frame = 0
  const started = Date.now()
  const render = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      draw()
    })
  }
  const screen = new LiveScreen(out, render)
  const view = new TurnView({
    style,
    paint,
    width: () => screen.width,
    print: (rows) => screen.print(rows.join('\n')),
    diffRows: 20,
    hideReasoning: options.hideReasoning === true,
    summary: (event) => {
      const rows: string[] = []
      const denied = options.denials.describe()
      if (denied) rows.push(paint.yellow(`! ${denied}`))
      const blocked = event.status === 'completed' && options.denials.blocked
      rows.push(blocked ? blockedLine(event, paint) : summaryLine(event, paint))
      return rows
    },
  })
  const draw = () => {
    // A question owns the terminal: pause() cleared the live area, and any redraw now would wipe
    // the prompt line (and hide the cursor). What is printed meanwhile waits for resume().
    if (paused) return
    if (view.activity === undefined) {
      screen.setLive([])
      return
    }
    const status = statusLine(
      {
        activity: view.activity,
        frame,
        elapsedMs: Date.now() - started,
        tokens: view.tokens,
        cost: view.cost,
        model: options.model,
        queued: 0,
      },
      style,
      screen.width,
    )
    screen.setLive([...view.liveRows(), status])
  }
  const timer = setInterval(() => {
    frame++
    render()
  }, 100)
  timer.unref()
  const handle = ((event: EngineEvent) => {
    view.onEvent(event)
    if (event.type === 'permission.answered' && event.auto && event.reply === 'reject') {
      screen.print(
        paint.yellow(`! ${event.tool} needs approval: denied (non-interactive; rerun with --yes to allow)`),
      )
    }
    if (event.type === 'run.finished') clearInterval(timer)
    render()
  }) as RunView
  handle.pause = () => {
    paused = true
    screen.clear()
    out.write('\u001b[?25h') // the cursor, for typing the answer
  }
  handle.resume = () => {
    paused = false
    render()
  }
  handle.note = (text) => {
    screen.print(paint.yellow(text.trim()))
  }
  handle.close = () => {
    clearInterval(timer)
    view.activity = undefined
    screen.clear()
  }
  return handle
}
