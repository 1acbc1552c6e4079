/**
 * `penguin` at a terminal: the chat UI. An inline screen (finished output scrolls away as usual,
 * a live area at the bottom), a multi-line prompt, modes, questions, and the turn loop. Built on
 * the same engine, sessions and renderers as the rest of the CLI; only loaded when stdin and
 * stdout are a real terminal.
 */
import type { EngineExtension, PermissionRequest } from '@penguin-ai/engine'
import { cut, oneLine } from '@penguin-ai/tools/details'
import type { AgentFlags } from '../args.js'
import { type ChatContext, runChatCommand } from '../chat/commands.js'
import { LocalBackend } from '../chat/local-backend.js'
import { EXIT } from '../cli-error.js'
import { onTermination } from '../interrupt.js'
import { painter, useColor } from '../render/paint.js'
import { renderPermissionPreview } from '../render/permission-preview.js'
import type { AgentSetup } from '../setup.js'
import { type Style, style, wrapAnsi } from './ansi.js'
import { askPermission, askPlanAcceptance, confirm } from './asks.js'
import { attachMentions, runShell, shellContext } from './attachments.js'
import { commandSuggestions, completionOf, pathSuggestions, type Suggestion } from './completion.js'
import * as edit from './editor.js'
import { historyFile, PromptHistory } from './history.js'
import type { Key } from './keys.js'
import { type Mode, nextMode, PLAN_ACCEPTED, planModeExtension } from './modes.js'
import { type Question, textQuestion } from './questions.js'
import { LiveScreen } from './screen.js'
import { statusLine } from './status.js'
import { RawTerminal } from './terminal.js'
import { localCommand } from './tui-commands.js'
import { TurnView } from './turn-view.js'

export async function runChatTui(setup: AgentSetup, flags: AgentFlags): Promise<number> {
  const app = new ChatApp(setup, flags)
  await app.open()
  return app.start()
}

export class ChatApp implements ChatContext {
  readonly paint: ReturnType<typeof painter>
  readonly style: Style
  readonly screen = new LiveScreen(process.stdout, () => this.render())
  mode: Mode = 'ask'
  history = new PromptHistory(undefined)
  /** Context from `!commands`, given to the agent with the next prompt. */
  readonly shellNotes: string[] = []
  /** Why the user refused a call, for the model to read with the refusal. */
  readonly refusalNotes = new Map<string, string>()
  /** Calls whose ask was answered "always in this workspace". */
  readonly workspaceAlways = new Set<string>()
  question: Question | undefined
  /** The session: the engine in this process (hooks, MCP servers, plugins the config sets up). */
  readonly backend: LocalBackend
  private readonly terminal = new RawTerminal(process.stdin, process.stdout)
  private editor: edit.EditorState = edit.EMPTY
  private readonly queue: string[] = []
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
  private lastCtrlC = 0
  private notice: string | undefined
  private suggestions: Suggestion[] = []
  private renderScheduled = false
  private finish: ((code: number) => void) | undefined

  constructor(
    setup: AgentSetup,
    readonly flags: AgentFlags,
  ) {
    const color = useColor(process.stdout)
    this.paint = painter(color)
    this.style = style(color)
    this.backend = new LocalBackend(setup, flags, {
      askPermission: (request, signal) => askPermission(this, request, signal),
      extensions: () => this.extensions(),
      warn: (text) => this.say(this.paint.yellow(text.replace(/\n$/, ''))),
    })
  }

  async open(): Promise<void> {
    await this.backend.open()
    this.history = await PromptHistory.load(historyFile(this.setup.workspace.root))
  }

  get setup(): AgentSetup {
    return this.backend.setup
  }

  get width(): number {
    return this.screen.width
  }

  start(): Promise<number> {
    // How commands run, every time: without a sandbox it is worth a warning.
    const sandbox = this.backend.sandboxLine()
    this.say(
      `${this.style.bold('Penguin')} ${this.paint.dim(`· ${this.backend.banner()}`)}\n` +
        `${sandbox.warn ? this.paint.yellow(`! ${sandbox.text}`) : this.paint.dim(sandbox.text)}\n` +
        `${this.paint.dim('Enter: send · Shift+Enter: new line · Shift+Tab: mode · @file · !shell · /help')}\n`,
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
    for (const queued of this.queue)
      rows.push(this.paint.dim(`↳ queued: ${cut(oneLine(queued), width - 12)}`))
    let cursor: { row: number; column: number } | undefined
    if (this.question) {
      const asked = this.question.rows(width)
      if (asked.cursor) cursor = { row: rows.length + asked.cursor.row, column: asked.cursor.column }
      rows.push(...asked.rows)
    } else {
      const laid = edit.layout(this.editor, this.style.bold('› '), 2, width)
      cursor = { row: rows.length + laid.cursorRow, column: laid.cursorColumn }
      rows.push(...laid.rows)
      for (const suggestion of this.suggestions.slice(0, 8)) {
        const help = suggestion.help ? `  ${this.paint.dim(suggestion.help)}` : ''
        rows.push(cut(`  ${this.style.cyan(suggestion.label)}${help}`, width + 20))
      }
      if (this.suggestions.length > 8) rows.push(this.paint.dim(`  … ${this.suggestions.length - 8} more`))
    }
    if (this.notice) rows.push(this.paint.dim(this.notice))
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
          queued: this.queue.length,
        },
        this.style,
        width,
      ),
    )
    this.screen.setLive(rows, cursor)
  }

  private onKey(key: Key): void {
    if (key.name !== 'ctrl-c') this.lastCtrlC = 0
    this.notice = undefined
    if (this.question) {
      this.question.key(key)
      this.render()
      return
    }
    switch (key.name) {
      case 'ctrl-c':
        this.ctrlC()
        break
      case 'escape':
        if (this.controller) this.interrupt()
        else if (this.suggestions.length) this.suggestions = []
        break
      case 'ctrl-d':
        if (this.editor.text) this.editor = edit.deleteForward(this.editor)
        else void this.quit()
        break
      case 'shift-tab':
        this.mode = nextMode(this.mode)
        break
      case 'enter':
        if (this.editor.text.slice(0, this.editor.cursor).endsWith('\\')) {
          this.editor = edit.insert(edit.backspace(this.editor), '\n')
        } else {
          void this.submit()
        }
        break
      case 'newline':
        this.editor = edit.insert(this.editor, '\n')
        break
      case 'paste':
        this.editor = edit.insert(this.editor, key.text)
        break
      case 'text':
        this.editor = edit.insert(this.editor, key.text)
        break
      case 'tab':
        this.complete()
        break
      case 'up': {
        const moved = edit.up(this.editor)
        if (moved) this.editor = moved
        else {
          const previous = this.history.previous(this.editor.text)
          if (previous !== undefined) this.editor = edit.replaceAll(previous)
        }
        break
      }
      case 'down': {
        const moved = edit.down(this.editor)
        if (moved) this.editor = moved
        else {
          const next = this.history.next()
          if (next !== undefined) this.editor = edit.replaceAll(next)
        }
        break
      }
      case 'ctrl-o':
        this.screen.print(
          (this.view ?? this.lastView)?.expanded().join('\n') ?? this.paint.dim('Nothing to expand yet.'),
        )
        break
      case 'ctrl-l':
        process.stdout.write('\u001b[2J\u001b[3J\u001b[H')
        this.screen.clear()
        break
      default:
        this.editor = editKey(this.editor, key.name)
    }
    this.suggest()
    this.render()
  }

  private ctrlC(): void {
    if (this.controller) {
      this.interrupt()
      this.lastCtrlC = Date.now()
      return
    }
    if (this.editor.text) {
      this.editor = edit.EMPTY
      return
    }
    if (this.lastCtrlC && Date.now() - this.lastCtrlC < 2000) {
      this.exit()
      return
    }
    this.lastCtrlC = Date.now()
    this.notice = 'Press Ctrl-C again to exit (or /exit).'
  }

  /**
   * Ctrl-D on an empty prompt leaves, as documented, even while a turn runs: the turn is stopped
   * first (the session keeps what it did; `--continue` picks it up). Ignoring the key mid-turn left
   * people — and scripts driving the terminal — waiting on a chat that would not close.
   */
  private async quit(): Promise<void> {
    this.interrupt()
    // Also lets the turn print its last lines before the live area is cleared for good.
    await this.dispatching
    this.exit()
  }

  private interrupt(): void {
    this.controller?.abort()
    this.queue.length = 0
  }

  private suggest(): void {
    const { word, start } = edit.currentWord(this.editor)
    if (word.startsWith('/') && start === 0) this.suggestions = commandSuggestions(word)
    else if (word.startsWith('@')) this.suggestions = pathSuggestions(word, this.setup.workspace.root)
    else this.suggestions = []
    if (this.suggestions.length === 1 && this.suggestions[0]?.value === word) this.suggestions = []
  }

  private complete(): void {
    const { word, start } = edit.currentWord(this.editor)
    const completion = completionOf(word, this.suggestions)
    if (completion) this.editor = edit.replaceWord(this.editor, start, completion)
  }

  private async submit(): Promise<void> {
    const text = this.editor.text
    if (!text.trim()) return
    this.editor = edit.EMPTY
    this.suggestions = []
    await this.history.add(text)
    if (this.controller) {
      // The model is busy: this follows once it stops.
      this.queue.push(text)
      this.render()
      return
    }
    this.dispatching = this.dispatch(text)
    await this.dispatching
  }

  private async dispatch(text: string): Promise<void> {
    const trimmed = text.trim()
    try {
      if (trimmed.startsWith('/')) await this.command(trimmed)
      else if (trimmed.startsWith('!')) await this.shell(trimmed.slice(1).trim())
      else await this.turn(text)
    } catch (error) {
      this.say(this.paint.red(error instanceof Error ? error.message : String(error)))
    }
    this.render()
    const next = this.queue.splice(0)
    if (next.length) await this.dispatch(next.join('\n\n'))
  }

  private echo(text: string): void {
    const [first, ...rest] = text.split('\n')
    this.screen.print(
      [`${this.style.bold('›')} ${first ?? ''}`, ...rest.map((line) => `  ${line}`)].join('\n'),
    )
  }

  private async turn(text: string): Promise<void> {
    this.echo(text)
    const { text: withFiles, attached } = await attachMentions(text, this.setup.workspace.root)
    for (const file of attached) {
      this.say(
        this.paint.dim(`  ⎿ attached ${file.path} (${file.bytes} bytes${file.truncated ? ', cut' : ''})`),
      )
    }
    const prompt = [...this.shellNotes.splice(0), withFiles].join('\n\n')
    const view = new TurnView({
      style: this.style,
      paint: this.paint,
      width: () => this.width,
      print: (rows) => this.screen.print(rows.join('\n')),
      hideReasoning: this.flags.hideReasoning === true,
    })
    this.view = view
    this.started = Date.now()
    const result = await this.abortable((signal) => {
      const options = {
        signal,
        onEvent: (event: Parameters<TurnView['onEvent']>[0]) => {
          view.onEvent(event)
          // The engine records an "always" once the answer is in; the call starts right after.
          if (event.type === 'tool.started') void this.persistAlways(event.callId)
          this.render()
        },
      }
      return this.backend.run(prompt, options)
    })
    this.view = undefined
    this.lastView = view
    this.started = 0
    if (this.mode === 'plan' && result.status === 'completed') {
      const accepted = await askPlanAcceptance(this)
      if (accepted) {
        this.mode = accepted
        this.queue.unshift(PLAN_ACCEPTED)
      }
    }
  }

  private async shell(command: string): Promise<void> {
    if (!command) {
      this.say('Type a command after !, e.g. !git status')
      return
    }
    this.screen.print(`${this.style.bold('!')} ${command}`)
    let partial = ''
    const run = await this.abortable((signal) =>
      runShell(
        command,
        this.setup.workspace.root,
        (text) => {
          const lines = (partial + text).split('\n')
          partial = lines.pop() ?? ''
          if (lines.length)
            this.screen.print(lines.map((line) => `  ${this.paint.dim('│')} ${line}`).join('\n'))
        },
        signal,
      ),
    )
    if (partial) this.screen.print(`  ${this.paint.dim('│')} ${partial}`)
    const how = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`
    this.say(this.paint.dim(`  ${how} · the agent sees this with your next message`))
    this.shellNotes.push(shellContext(run))
  }

  private async command(input: string): Promise<void> {
    this.echo(input)
    const handled = await localCommand(this, input)
    if (handled) return
    const keepGoing = await runChatCommand(this, input)
    if (!keepGoing) this.exit()
  }

  /** "Always in this workspace": the rule the engine just recorded goes into the workspace config too. */
  private async persistAlways(callId: string): Promise<void> {
    if (!this.workspaceAlways.delete(callId)) return
    const rule = this.setup.policy.sessionRules.at(-1)
    if (!rule) return
    try {
      const { saveWorkspaceRule } = await import('./workspace-rule.js')
      const path = await saveWorkspaceRule(this.setup.workspace.root, rule)
      const trusted = this.setup.resolved.trust.state === 'trusted'
      this.say(
        this.paint.dim(
          `  saved "${rule.tool} ${rule.pattern}" to ${path}${trusted ? '' : ' — it applies once you trust this workspace (penguin trust)'}`,
        ),
      )
    } catch (error) {
      this.say(
        this.paint.red(`Could not save the rule: ${error instanceof Error ? error.message : String(error)}`),
      )
    }
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

  /** What the terminal UI adds to the engine: plan mode, and the reasons given with a refusal. */
  private extensions(): EngineExtension[] {
    return [
      planModeExtension(() => this.mode),
      {
        name: 'your answers',
        afterToolCall: (_ctx, call) => {
          const note = this.refusalNotes.get(call.callId)
          if (note === undefined) return undefined
          this.refusalNotes.delete(call.callId)
          return { context: `The user declined this call and said: ${note}` }
        },
      },
    ]
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

function editKey(state: edit.EditorState, name: Key['name']): edit.EditorState {
  switch (name) {
    case 'backspace':
      return edit.backspace(state)
    case 'delete':
      return edit.deleteForward(state)
    case 'left':
      return edit.left(state)
    case 'right':
      return edit.right(state)
    case 'word-left':
      return edit.wordLeft(state)
    case 'word-right':
      return edit.wordRight(state)
    case 'home':
    case 'ctrl-a':
      return edit.home(state)
    case 'end':
    case 'ctrl-e':
      return edit.end(state)
    case 'ctrl-u':
      return edit.killLineBack(state)
    case 'ctrl-k':
      return edit.killLineForward(state)
    case 'ctrl-w':
      return edit.deleteWordBack(state)
    default:
      return state
  }
}
