/**
 * The plain chat: a prompt per line on stdin, answers on stdout. What a pipe, a file or a dumb
 * terminal gets (a real terminal gets the terminal UI), over either backend.
 */
import { EXIT } from '../cli-error.js'
import { onTermination } from '../interrupt.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import type { LineReader } from '../render/line-reader.js'
import type { ChatBackend } from './backend.js'
import { type ChatContext, runChatCommand } from './commands.js'

export interface LineChatOptions {
  hideReasoning: boolean
  /** Lines under the header (how commands run), `warn` ones in yellow. */
  notes?: readonly { text: string; warn: boolean }[]
  /** A failure as the one line to show (a server's refusal, said the CLI's way). */
  explain?: (error: unknown) => unknown
}

export class LineChat implements ChatContext {
  readonly paint: ReturnType<typeof painter>
  private readonly color = useColor(process.stdout)
  private controller: AbortController | undefined
  /** The turn (or compaction) in progress, for SIGTERM to wait on. */
  private running: Promise<unknown> | undefined
  private lastInterrupt = 0

  constructor(
    readonly backend: ChatBackend,
    readonly reader: LineReader,
    private readonly options: LineChatOptions,
  ) {
    this.paint = painter(this.color)
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

  async start(): Promise<number> {
    this.reader.onInterrupt(() => this.interrupt())
    process.on('SIGINT', () => this.interrupt())
    onTermination(
      () => this.controller?.abort(),
      () => this.running ?? Promise.resolve(),
    )
    this.say(this.paint.dim(`Penguin · ${this.backend.banner()}\n`))
    for (const note of this.options.notes ?? [])
      this.say(note.warn ? this.paint.yellow(`! ${note.text}\n`) : this.paint.dim(`${note.text}\n`))
    this.say(this.paint.dim('Type /help for commands.\n'))
    try {
      for (;;) {
        const line = await this.reader.read(this.paint.bold('› '))
        if (line === undefined) return EXIT.ok
        const input = line.trim()
        if (!input) continue
        try {
          if (input.startsWith('/')) {
            if (!(await runChatCommand(this, input))) return EXIT.ok
          } else {
            await this.turn(input)
          }
        } catch (error) {
          const failure = this.options.explain?.(error) ?? error
          this.say(`${this.paint.red(failure instanceof Error ? failure.message : String(failure))}\n`)
        }
      }
    } finally {
      this.reader.close()
      await this.backend.close()
    }
  }

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
      hideReasoning: this.options.hideReasoning,
    })
    await this.abortable((signal) => this.backend.run(prompt, { signal, onEvent: render }))
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
      this.backend.close().then(exit, exit)
      return
    }
    this.lastInterrupt = Date.now()
    this.say('\n(Ctrl-C again to exit, or /exit)\n')
  }
}
