import { Engine } from '@penguin-ai/engine'
import { type AgentFlags, parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { MAIN_HELP } from '../help.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { terminalPermissionPrompt } from '../render/permission-prompt.js'
import { type AgentSetup, prepareAgent, resolveModelOrExplain } from '../setup.js'

const CHAT_HELP = `Commands:
  /help              this help
  /model [id]        show the model, or switch to provider/model
  /clear             start a fresh conversation
  /exit              quit (also Ctrl-D, or Ctrl-C twice)
Anything else is sent to the agent. Ctrl-C stops the current turn.`

/** `penguin` with no command: a conversation in the terminal. */
export async function chatCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, '')
  if (flags.help) {
    process.stdout.write(`${MAIN_HELP}\n`)
    return EXIT.ok
  }
  if (flags.json) throw usageError('--json works with "penguin run"; chat is for people.')
  if (positionals.length)
    throw usageError(`Unexpected argument "${positionals[0]}". To run a task: penguin run "…"`)
  const setup = await prepareAgent(flags)
  return new ChatSession(setup, flags).start()
}

class ChatSession {
  private readonly reader: LineReader
  private readonly color = useColor(process.stdout)
  private readonly paint = painter(this.color)
  private engine: Engine
  private controller: AbortController | undefined
  private lastInterrupt = 0

  constructor(
    private setup: AgentSetup,
    private readonly flags: AgentFlags,
  ) {
    const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
    this.reader = new LineReader(process.stdin, process.stdout, terminal)
    this.engine = this.createEngine()
  }

  async start(): Promise<number> {
    this.reader.onInterrupt(() => this.interrupt())
    process.on('SIGINT', () => this.interrupt())
    this.say(
      this.paint.dim(
        `Penguin · ${this.setup.model.id} · ${this.setup.workspace.root}\nType /help for commands.\n`,
      ),
    )
    try {
      for (;;) {
        const line = await this.reader.read(this.paint.bold('› '))
        if (line === undefined) return EXIT.ok
        const input = line.trim()
        if (!input) continue
        if (input.startsWith('/')) {
          if (!this.command(input)) return EXIT.ok
          continue
        }
        await this.turn(input)
      }
    } finally {
      this.reader.close()
    }
  }

  private async turn(prompt: string): Promise<void> {
    this.controller = new AbortController()
    const render = createHumanRenderer({ text: process.stdout, info: process.stdout, color: this.color })
    try {
      await this.engine.run(prompt, { signal: this.controller.signal, onEvent: render })
    } finally {
      this.controller = undefined
    }
  }

  /** Returns false when the session should end. */
  private command(input: string): boolean {
    const [name, ...args] = input.split(/\s+/)
    switch (name) {
      case '/exit':
      case '/quit':
        return false
      case '/help':
        this.say(`${CHAT_HELP}\n`)
        return true
      case '/clear':
        this.engine.clear()
        this.say('Conversation cleared.\n')
        return true
      case '/model': {
        const id = args[0]
        if (!id) {
          this.say(`Model: ${this.setup.model.id}\n`)
          return true
        }
        try {
          const model = resolveModelOrExplain(id, this.flags.baseUrl, process.env)
          this.setup = { ...this.setup, model }
          const history = [...this.engine.messages]
          this.engine = this.createEngine(history)
          this.say(`Model: ${model.id}\n`)
        } catch (error) {
          this.say(`${this.paint.red((error as Error).message)}\n`)
        }
        return true
      }
      default:
        this.say(`Unknown command ${name}. Type /help for commands.\n`)
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
      process.exit(EXIT.ok)
    }
    this.lastInterrupt = Date.now()
    this.say('\n(Ctrl-C again to exit, or /exit)\n')
  }

  private createEngine(history?: Parameters<typeof Array.prototype.concat>[0]): Engine {
    return new Engine({
      model: this.setup.model,
      workspace: this.setup.workspace,
      policy: this.setup.policy,
      autoApprove: this.flags.yes,
      askPermission: terminalPermissionPrompt(this.reader, (text) => this.say(text)),
      ...(history ? { history } : {}),
      ...(this.setup.maxIterations ? { maxIterations: this.setup.maxIterations } : {}),
      ...(this.setup.budget ? { budget: this.setup.budget } : {}),
    })
  }

  private say(text: string): void {
    process.stdout.write(text)
  }
}
