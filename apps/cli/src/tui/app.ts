/**
 * `penguin` at a terminal: the chat UI. An inline screen (finished output scrolls away as usual,
 * a live area at the bottom), a multi-line prompt, modes, questions, and the prompt loop. Built on
 * the same engine, sessions and renderers as the rest of the CLI; only loaded when stdin and
 * stdout are a real terminal. This file holds the loop and the live area; the prompt's keys are in
 * prompt-input.ts, what a submitted prompt does in prompts.ts, the questions in asks.ts, and what
 * the UI adds to the engine (plan mode, refusal notes, workspace rules) in engine-hooks.ts.
 */
import type { PermissionRequest } from '@penguin-ai/engine'
import { cut, oneLine } from '@penguin-ai/tools/details'
import type { AgentFlags } from '../args.js'
import type { ChatBackend } from '../chat/backend.js'
import type { ChatContext } from '../chat/commands.js'
import { EXIT } from '../cli-error.js'
import { onTermination } from '../interrupt.js'
import { painter, useColor } from '../render/paint.js'
import { renderPermissionPreview } from '../render/permission-preview.js'
import { type Style, style, wrapAnsi } from './ansi.js'
import { confirm } from './asks.js'
import type { TuiBackend } from './backends.js'
import { historyFile, PromptHistory } from './history.js'
import type { Key } from './keys.js'
import { type Mode, nextMode } from './modes.js'
import { type InputHost, PromptInput } from './prompt-input.js'
import { runCommand, runShellCommand, runTurn } from './prompts.js'
import { type Question, textQuestion } from './questions.js'
import { LiveScreen } from './screen.js'
import { statusLine } from './status.js'
import { RawTerminal } from './terminal.js'
import type { TurnView } from './turn-view.js'

export class ChatApp implements ChatContext, InputHost {
  readonly paint: ReturnType<typeof painter>
  readonly style: Style
  readonly screen = new LiveScreen(process.stdout, () => this.render())
  mode: Mode = 'ask'
  history = new PromptHistory(undefined)
  /** Given to the agent with the next prompt: `!command` output; on a server, a refusal's reason too. */
  readonly shellNotes: string[] = []
  /** Why the user refused a call, for the model to read with the refusal. */
  readonly refusalNotes = new Map<string, string>()
  /** Calls whose ask was answered "always in this workspace". */
  readonly workspaceAlways = new Set<string>()
  question: Question | undefined
  /** Where the session runs: the engine in this process, or a server (backends.ts). */
  readonly place: TuiBackend
  private readonly terminal = new RawTerminal(process.stdin, process.stdout)
  private readonly input = new PromptInput(this)
  /** Prompts and commands typed during a turn that wait for it to end (`/…`, `!…`, or refused). */
  private readonly queue: string[] = []
  /** Messages handed to the turn in progress, until the agent reads them (`message.delivered`). */
  private readonly handed: { delivery: 'steer' | 'follow_up'; text: string }[] = []
  view: TurnView | undefined
  private lastView: TurnView | undefined
  private controller: AbortController | undefined
  private running: Promise<unknown> | undefined
  /** The prompt being handled now (its turn, and what it prints after), or the last one. */
  private dispatching: Promise<void> = Promise.resolve()
  private busy: string | undefined
  private started = 0
  private frame = 0
  private timer: NodeJS.Timeout | undefined
  private renderScheduled = false
  private finish: ((code: number) => void) | undefined

  constructor(
    readonly flags: AgentFlags,
    place: (app: ChatApp) => TuiBackend,
  ) {
    const color = useColor(process.stdout)
    this.paint = painter(color)
    this.style = style(color)
    this.place = place(this)
  }

  async open(): Promise<void> {
    await this.place.open()
    this.history = await PromptHistory.load(historyFile(this.workspace))
  }

  get backend(): ChatBackend {
    return this.place.backend
  }

  get width(): number {
    return this.screen.width
  }

  /** Where `@path` looks and `!command` runs, on this machine (for a server: the --cwd it was given). */
  get workspace(): string {
    return this.backend.workspace
  }

  get working(): boolean {
    return this.controller !== undefined
  }

  start(): Promise<number> {
    // How commands run, every time: without a sandbox it is worth a warning.
    const sandbox = this.place.sandboxLine()
    this.say(
      `${this.style.bold('Penguin')} ${this.paint.dim(`· ${this.backend.banner()}`)}\n` +
        `${sandbox.warn ? this.paint.yellow(`! ${sandbox.text}`) : this.paint.dim(sandbox.text)}\n` +
        `${this.paint.dim(`Enter: send · Shift+Enter: new line · Shift+Tab: mode · @file${this.place.noShell ? '' : ' · !shell'} · /help`)}\n`,
    )
    const stopTermination = onTermination(
      () => this.controller?.abort(),
      () => this.running ?? Promise.resolve(),
    )
    process.stdout.on('resize', this.onResize)
    this.terminal.start((key) => this.onKey(key))
    this.render()
    return new Promise<number>((resolve) => {
      this.finish = (code) => {
        stopTermination()
        process.stdout.off('resize', this.onResize)
        this.stopTimer()
        this.screen.clear()
        this.terminal.restore()
        const done = () => resolve(code)
        void this.backend.close().then(done, done)
      }
    })
  }

  // ChatContext, for the commands shared with the plain chat.
  say(text: string): void {
    // Wrapped here, at spaces, rather than by the terminal mid-word (and never past the live area's width).
    const rows = text.replace(/\n$/, '').split('\n')
    this.screen.print(rows.flatMap((row) => wrapAnsi(row, this.width)).join('\n'))
  }

  ask(question: string): Promise<string | undefined> {
    return confirm(this, question).then((yes) => (yes ? 'y' : 'n'))
  }

  async abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.controller = new AbortController()
    this.busy = 'working'
    this.startTimer()
    const running = fn(this.controller.signal)
    this.running = running
    try {
      return await running
    } finally {
      this.controller = undefined
      this.running = undefined
      this.busy = undefined
      this.stopTimer()
      this.render()
    }
  }

  /** Asks a question in the live area; the answer comes through its callback. */
  setQuestion(question: Question | undefined): void {
    this.question = question
    this.render()
  }

  exit(code: number = EXIT.ok): void {
    this.finish?.(code)
  }

  /** Redraws the live area soon (many events can arrive in one tick). */
  render = (): void => {
    if (this.renderScheduled) return
    this.renderScheduled = true
    setImmediate(() => {
      this.renderScheduled = false
      this.draw()
    })
  }

  private readonly onResize = () => this.render()

  private draw(): void {
    const width = this.width
    const rows: string[] = []
    if (this.view) rows.push(...this.view.liveRows())
    for (const { delivery, text } of this.handed) {
      const label = delivery === 'steer' ? 'steering' : 'follow-up'
      rows.push(this.paint.dim(`↳ ${label}: ${cut(oneLine(text), width - 15)}`))
    }
    for (const queued of this.queue)
      rows.push(this.paint.dim(`↳ queued: ${cut(oneLine(queued), width - 12)}`))
    let cursor: { row: number; column: number } | undefined
    const below = this.question ? this.question.rows(width) : this.input.rows(width, this.style, this.paint)
    if (below.cursor) cursor = { row: rows.length + below.cursor.row, column: below.cursor.column }
    rows.push(...below.rows)
    const notice = this.input.noticeRow(this.paint)
    if (notice) rows.push(notice)
    rows.push(
      statusLine(
        {
          activity: this.question ? 'waiting for you' : (this.view?.activity ?? this.busy),
          frame: this.frame,
          elapsedMs: this.started ? Date.now() - this.started : 0,
          tokens: (this.view ?? this.lastView)?.tokens ?? 0,
          cost: (this.view ?? this.lastView)?.cost ?? 0,
          model: this.backend.modelId,
          mode: this.mode,
          queued: this.queue.length + this.handed.length,
        },
        this.style,
        width,
      ),
    )
    this.screen.setLive(rows, cursor)
  }

  private onKey(key: Key): void {
    if (this.question) {
      this.input.keyElsewhere(key)
      this.question.key(key)
    } else {
      this.input.key(key)
    }
    this.render()
  }

  // InputHost: what the prompt's keys do.
  nextMode(): void {
    this.mode = nextMode(this.mode)
  }

  expand(): void {
    this.screen.print(
      (this.view ?? this.lastView)?.expanded().join('\n') ?? this.paint.dim('Nothing to expand yet.'),
    )
  }

  clearScreen(): void {
    process.stdout.write('\u001b[2J\u001b[3J\u001b[H')
    this.screen.clear()
  }

  /**
   * Ctrl-D on an empty prompt leaves, as documented, even while a turn runs: the turn is stopped
   * first (the session keeps what it did; `--continue` picks it up). Ignoring the key mid-turn left
   * people — and scripts driving the terminal — waiting on a chat that would not close.
   */
  quit(): void {
    this.interrupt()
    // Also lets the turn print its last lines before the live area is cleared for good.
    void this.dispatching.then(() => this.exit())
  }

  interrupt(): void {
    this.controller?.abort()
    this.queue.length = 0
  }

  submit(text: string): void {
    void this.send(text, 'steer')
  }

  followUp(text: string): void {
    void this.send(text, 'follow_up')
  }

  /**
   * While the agent works on a turn, a message goes to it: `steer` (Enter) is read before its next
   * step, `follow_up` (Tab) when it would stop. Commands (`/…`, `!…`) — and anything typed while
   * something else runs — wait until it is over.
   */
  private async send(text: string, delivery: 'steer' | 'follow_up'): Promise<void> {
    await this.history.add(text)
    if (!this.controller) {
      this.dispatching = this.dispatch(text)
      await this.dispatching
      return
    }
    const command = /^[/!]/.test(text.trim())
    const handed = { delivery, text }
    if (this.view && !command) {
      this.handed.push(handed)
      this.render()
      const taken = await (delivery === 'steer'
        ? this.backend.steer(text)
        : this.backend.followUp(text)
      ).catch(() => false)
      if (taken) return
      // The turn was just ending: it goes as the next prompt.
      this.dropHanded(handed)
    }
    this.queue.push(text)
    this.render()
  }

  /** The agent read a message handed to the turn: no longer waiting. */
  delivered(text: string): void {
    const at = this.handed.findIndex((handed) => handed.text === text)
    if (at >= 0) this.handed.splice(at, 1)
  }

  private dropHanded(handed: { delivery: 'steer' | 'follow_up'; text: string }): void {
    const at = this.handed.indexOf(handed)
    if (at >= 0) this.handed.splice(at, 1)
  }

  private async dispatch(text: string): Promise<void> {
    const trimmed = text.trim()
    try {
      if (trimmed.startsWith('/')) await runCommand(this, trimmed)
      else if (trimmed.startsWith('!')) await runShellCommand(this, trimmed.slice(1).trim())
      else await runTurn(this, text)
    } catch (error) {
      const shown = this.place.explain?.(error) ?? error
      this.say(this.paint.red(shown instanceof Error ? shown.message : String(shown)))
    }
    this.render()
    const next = this.queue.splice(0)
    if (next.length) await this.dispatch(next.join('\n\n'))
  }

  /** The turn the live area and the status line show; undefined when it is over. */
  showTurn(view: TurnView | undefined): void {
    if (view) {
      this.view = view
      this.started = Date.now()
      return
    }
    this.lastView = this.view
    this.view = undefined
    this.started = 0
    // What the turn did not read is reported with its end (see runTurn).
    this.handed.length = 0
  }

  /** A prompt to handle right after the current one, before anything queued. */
  followWith(text: string): void {
    this.queue.unshift(text)
  }

  private startTimer(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      this.frame++
      this.render()
    }, 100)
    this.timer.unref()
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  /** The preview of an ask, as rows for the scrollback. */
  previewText(request: PermissionRequest): string {
    return renderPermissionPreview(request, {
      width: this.width,
      paint: this.paint,
      lineNumbers: true,
    }).replace(/\n$/, '')
  }

  textQuestion(title: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.setQuestion(
        textQuestion(this.style, title, (text) => {
          this.setQuestion(undefined)
          resolve(text)
        }),
      )
    })
  }
}
