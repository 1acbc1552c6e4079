import { parseAgentArgs } from '../args.js'
import { LineChat } from '../chat/line-chat.js'
import { RemoteBackend } from '../chat/remote-backend.js'
import { usageError } from '../cli-error.js'
import { interruptStartUp, untilInterrupted } from '../interrupt.js'
import { connectRemote, openRemoteSession, remoteError } from '../remote/connect.js'
import { painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { printHelp } from './help-text.js'

/** `penguin --server URL`: the chat, with its session on a Penguin server. */
export async function remoteChatCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, '')
  if (flags.help) {
    return printHelp([])
  }
  if (flags.json) throw usageError('--json works with "penguin run"; chat is for people.')
  if (positionals.length)
    throw usageError(`Unexpected argument "${positionals[0]}". To run a task: penguin --server URL run "…"`)
  // Ctrl-C, SIGTERM and SIGHUP while it reaches the server and opens the session stop it at once,
  // exit 130 (as the local chat); the chat's own handlers take over once it is open.
  const startUp = interruptStartUp()
  const starting = untilInterrupted(startUp.signal, 'the chat')
  try {
    const remote = await starting(connectRemote(flags, env))
    const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
    const paint = painter(useColor(process.stdout))
    const say = (text: string) => process.stdout.write(text)
    const open = () =>
      starting(openRemoteSession(remote, flags, (text) => say(paint.yellow(text)))).catch(
        (error: unknown) => {
          throw remoteError(error, remote.server)
        },
      )
    // A real terminal gets the chat UI, as local chat does; a pipe, a file or a dumb terminal the line chat.
    if (terminal && env.TERM !== 'dumb') {
      const opened = await open()
      const { runRemoteTui } = await starting(import('../tui/backends.js'))
      startUp.dispose()
      return await runRemoteTui(remote, opened, flags)
    }
    const reader = new LineReader(process.stdin, process.stdout, terminal)
    let backend: RemoteBackend
    try {
      const { session, resumed } = await open()
      backend = new RemoteBackend(
        remote,
        session,
        { yes: flags.yes, askPermission: terminalPermissionPrompt(reader, say, promptOn(process.stdout)) },
        resumed,
      )
    } catch (error) {
      reader.close()
      throw error
    }
    startUp.dispose()
    return await new LineChat(backend, reader, {
      hideReasoning: flags.hideReasoning,
      explain: (error) => remoteError(error, remote.server),
    }).start()
  } finally {
    startUp.dispose()
  }
}
