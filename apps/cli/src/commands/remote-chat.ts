import type { Session } from '@penguin-ai/sdk'
import { parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { MAIN_HELP } from '../help.js'
import { runRemoteChatCommand } from '../remote/chat-commands.js'
import { connectRemote, openRemoteSession, type Remote, remoteError } from '../remote/connect.js'
import { remoteTurn } from '../remote/turn.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn } from '../render/permission-prompt.js'

/** `penguin --server URL`: the chat, with its session on a Penguin server. */
export async function remoteChatCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, '')
  if (flags.help) {
    process.stdout.write(`${MAIN_HELP}\n`)
    return EXIT.ok
  }
  if (flags.json) throw usageError('--json works with "penguin run"; chat is for people.')
  if (positionals.length)
    throw usageError(`Unexpected argument "${positionals[0]}". To run a task: penguin --server URL run "…"`)
  const remote = await connectRemote(flags, env)
  const chat = new RemoteChat(remote, flags.yes, flags.hideReasoning)
  try {
    const { session, resumed } = await openRemoteSession(remote, flags, (text) =>
      chat.say(chat.paint.yellow(text)),
    )
    chat.session = session
    const where = `${session.model ?? 'server default model'} · ${session.workspace} · ${remote.server}`
    const note = resumed ? ` · resumed ${session.id} (${session.message_count} messages)` : ''
    chat.say(chat.paint.dim(`Penguin · ${where}${note}\nType /help for commands.\n`))
  } catch (error) {
    chat.reader.close()
    throw remoteError(error, remote.server)
  }
  return chat.start()
}

/** What the remote chat commands need. */
export class RemoteChat {
  readonly reader: LineReader
  readonly paint: ReturnType<typeof painter>
  session!: Session
  private readonly color = useColor(process.stdout)
  private controller: AbortController | undefined
  private lastInterrupt = 0

  constructor(
    readonly remote: Remote,
    private readonly yes: boolean,
    private readonly hideReasoning = false,
  ) {
    const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
    this.reader = new LineReader(process.stdin, process.stdout, terminal)
    this.paint = painter(this.color)
  }

  say(text: string): void {
    process.stdout.write(text)
  }

  get width(): number {
    return process.stdout.columns || 100
  }

  async start(): Promise<number> {
    this.reader.onInterrupt(() => this.interrupt())
    process.on('SIGINT', () => this.interrupt())
    try {
      for (;;) {
        const line = await this.reader.read(this.paint.bold('› '))
        if (line === undefined) return EXIT.ok
        const input = line.trim()
        if (!input) continue
        try {
          if (input.startsWith('/')) {
            if (!(await runRemoteChatCommand(this, input))) return EXIT.ok
          } else {
            await this.turn(input)
          }
        } catch (error) {
          const failure = remoteError(error, this.remote.server)
          this.say(`${this.paint.red(failure instanceof Error ? failure.message : String(failure))}\n`)
        }
      }
    } finally {
      this.reader.close()
    }
  }

  private async turn(prompt: string): Promise<void> {
    const render = createHumanRenderer({
      text: process.stdout,
      info: process.stdout,
      color: this.color,
      hideReasoning: this.hideReasoning,
    })
    this.controller = new AbortController()
    try {
      await remoteTurn({
        client: this.remote.client,
        sessionId: this.session.id,
        prompt,
        render,
        permissions: this.yes
          ? { kind: 'approve' }
          : {
              kind: 'ask',
              reader: this.reader,
              write: (text) => this.say(text),
              prompt: promptOn(process.stdout),
            },
        signal: this.controller.signal,
      })
    } finally {
      this.controller = undefined
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
}
