import { describeSandbox, engineOptions, type ResolvedConfig } from '@penguin-ai/config'
import { Engine, type EngineOptions } from '@penguin-ai/engine'
import { preloadModel } from '@penguin-ai/llm'
import type { AgentSession } from '@penguin-ai/sessions'
import { type AgentFlags, parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { type LoadedExtensions, loadExtensions } from '../extensions.js'
import { MAIN_HELP } from '../help.js'
import { onTermination } from '../interrupt.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { type OpenedAgent, openAgent } from '../session/open.js'
import { type AgentSetup, prepareAgent, sessionChanges } from '../setup.js'
import { CHAT_HELP, type ChatContext, runChatCommand } from './chat-commands.js'

/** `penguin` with no command: a conversation in the terminal, saved as a session. */
export async function chatCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, '')
  if (flags.help) {
    process.stdout.write(`${MAIN_HELP}\n`)
    return EXIT.ok
  }
  if (flags.json) throw usageError('--json works with "penguin run"; chat is for people.')
  if (positionals.length)
    throw usageError(`Unexpected argument "${positionals[0]}". To run a task: penguin run "…"`)
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
  const reader = new LineReader(process.stdin, process.stdout, terminal)
  let setup: AgentSetup
  try {
    setup = await prepareAgent(flags, {
      warn: (line) => process.stdout.write(`${painter(useColor(process.stdout)).yellow(`! ${line}`)}\n`),
      ...(terminal ? { askTrust: (resolved) => askTrust(reader, resolved) } : {}),
    })
  } catch (error) {
    reader.close()
    throw error
  }
  // The first prompt's request need not wait for the model's SDK and HTTP client to load.
  void preloadModel(setup.model)
  // A real terminal gets the chat UI; a pipe, a file or a dumb terminal the plain line chat.
  if (terminal && process.env.TERM !== 'dumb') {
    reader.close()
    const { runChatTui } = await import('../tui/app.js')
    return runChatTui(setup, flags)
  }
  const chat = new ChatSession(setup, flags, reader)
  await chat.open()
  return chat.start()
}

/** The one-time question about a workspace whose config sets what only trust unlocks. */
async function askTrust(reader: LineReader, resolved: ResolvedConfig): Promise<boolean | undefined> {
  const keys = resolved.ignored.filter((key) => key !== 'trust').join(', ')
  process.stdout.write(
    `\n${resolved.files.workspace.path} sets ${keys}.\n` +
      'Penguin applies these only in workspaces you trust: they can send your API key elsewhere or let the agent do more.\n' +
      'Trust this workspace only if you trust everyone who can change the repository.\n',
  )
  const answer = await reader.read(`Trust ${resolved.workspace}? [y/N] `)
  if (answer === undefined) return undefined
  return /^y(es)?$/i.test(answer.trim())
}

class ChatSession implements ChatContext {
  readonly paint: ReturnType<typeof painter>
  private readonly color = useColor(process.stdout)
  private bound: OpenedAgent | undefined
  private plainEngine: Engine | undefined
  private loaded: LoadedExtensions | undefined
  private controller: AbortController | undefined
  /** The turn (or compaction) in progress, for SIGTERM to wait on. */
  private running: Promise<unknown> | undefined
  private lastInterrupt = 0

  constructor(
    public setup: AgentSetup,
    readonly flags: AgentFlags,
    readonly reader: LineReader,
  ) {
    this.paint = painter(this.color)
  }

  async open(): Promise<void> {
    this.loaded = await loadExtensions(this.setup, {
      autoApprove: this.flags.yes,
      warn: (line) => this.say(`${this.paint.yellow(`! ${line}`)}\n`),
    })
    this.bound = await openAgent(this.setup, this.flags, this.engineOptions(), (text) =>
      this.say(this.paint.yellow(text)),
    )
    if (!this.bound) this.plainEngine = new Engine(this.engineOptions())
  }

  get agent(): AgentSession | undefined {
    return this.bound?.agent
  }

  get engine(): Engine {
    return this.bound?.agent.engine ?? (this.plainEngine as Engine)
  }

  async start(): Promise<number> {
    this.reader.onInterrupt(() => this.interrupt())
    process.on('SIGINT', () => this.interrupt())
    onTermination(
      () => this.controller?.abort(),
      () => this.running ?? Promise.resolve(),
    )
    const session = this.agent?.session
    const where = `${this.setup.model.id} · ${this.setup.workspace.root}`
    const resumed =
      session && this.agent?.resumed ? ` · resumed ${session.id} (${session.messageCount} messages)` : ''
    this.say(this.paint.dim(`Penguin · ${where}${resumed}\n`))
    const sandbox = describeSandbox(this.setup.sandbox)
    this.say(
      this.setup.sandbox.instance ? this.paint.dim(`${sandbox}\n`) : this.paint.yellow(`! ${sandbox}\n`),
    )
    this.say(this.paint.dim('Type /help for commands.\n'))
    try {
      for (;;) {
        const line = await this.reader.read(this.paint.bold('› '))
        if (line === undefined) return EXIT.ok
        const input = line.trim()
        if (!input) continue
        if (input.startsWith('/')) {
          if (!(await this.command(input))) return EXIT.ok
          continue
        }
        await this.turn(input)
      }
    } finally {
      this.reader.close()
      await this.bound?.close()
      await this.loaded?.close('prompt_input_exit')
    }
  }

  /** A new engine with other settings (a new model), continuing the same conversation. */
  reconfigure(setup: AgentSetup): void {
    this.setup = setup
    if (this.agent) this.agent.reconfigure(sessionChanges(setup))
    else this.plainEngine = new Engine({ ...this.engineOptions(), history: [...this.engine.messages] })
  }

  say(text: string): void {
    process.stdout.write(text)
  }

  get width(): number {
    return process.stdout.columns || 100
  }

  ask(question: string): Promise<string | undefined> {
    return this.reader.read(question)
  }

  /** Runs something abortable with Ctrl-C (a turn, a compaction). */
  async abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.controller = new AbortController()
    const running = fn(this.controller.signal)
    this.running = running
    try {
      return await running
    } finally {
      this.controller = undefined
      this.running = undefined
    }
  }

  private async turn(prompt: string): Promise<void> {
    const render = createHumanRenderer({
      text: process.stdout,
      info: process.stdout,
      color: this.color,
      hideReasoning: this.flags.hideReasoning,
    })
    await this.abortable((signal) =>
      this.agent
        ? this.agent.run(prompt, { signal, onEvent: render })
        : this.engine.run(prompt, { signal, onEvent: render }),
    )
  }

  /** Returns false when the chat should end. */
  private async command(input: string): Promise<boolean> {
    try {
      return await runChatCommand(this, input)
    } catch (error) {
      this.say(`${this.paint.red(error instanceof Error ? error.message : String(error))}\n`)
      return true
    }
  }

  private interrupt(): void {
    if (this.controller) {
      this.controller.abort()
      this.say(this.paint.yellow('\n■ interrupted\n'))
      this.lastInterrupt = Date.now()
      return
    }
    if (Date.now() - this.lastInterrupt < 2000) {
      this.reader.close()
      const exit = () => process.exit(EXIT.ok)
      const closing = Promise.resolve(this.bound?.close()).catch(() => undefined)
      void closing.then(() => this.loaded?.close('prompt_input_exit')).then(exit, exit)
      return
    }
    this.lastInterrupt = Date.now()
    this.say('\n(Ctrl-C again to exit, or /exit)\n')
  }

  private engineOptions(): EngineOptions {
    return engineOptions(this.setup, {
      autoApprove: this.flags.yes,
      ...(this.loaded ? { extensions: this.loaded.extensions } : {}),
      askPermission: terminalPermissionPrompt(
        this.reader,
        (text) => this.say(text),
        promptOn(process.stdout),
      ),
    })
  }
}

export { CHAT_HELP }
