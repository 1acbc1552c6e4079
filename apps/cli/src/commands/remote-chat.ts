import { parseAgentArgs } from '../args.js'
import { LineChat } from '../chat/line-chat.js'
import { RemoteBackend } from '../chat/remote-backend.js'
import { usageError } from '../cli-error.js'
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
  const remote = await connectRemote(flags, env)
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
  const paint = painter(useColor(process.stdout))
  const say = (text: string) => process.stdout.write(text)
  // A real terminal gets the chat UI, as local chat does; a pipe, a file or a dumb terminal the line chat.
  if (terminal && env.TERM !== 'dumb') {
    const opened = await openRemoteSession(remote, flags, (text) => say(paint.yellow(text))).catch(
      (error: unknown) => {
        throw remoteError(error, remote.server)
      },
    )
    const { runRemoteTui } = await import('../tui/backends.js')
    return runRemoteTui(remote, opened, flags)
  }
  const reader = new LineReader(process.stdin, process.stdout, terminal)
  let backend: RemoteBackend
  try {
    const { session, resumed } = await openRemoteSession(remote, flags, (text) => say(paint.yellow(text)))
    backend = new RemoteBackend(
      remote,
      session,
      { yes: flags.yes, askPermission: terminalPermissionPrompt(reader, say, promptOn(process.stdout)) },
      resumed,
    )
  } catch (error) {
    reader.close()
    throw remoteError(error, remote.server)
  }
  return new LineChat(backend, reader, {
    hideReasoning: flags.hideReasoning,
    explain: (error) => remoteError(error, remote.server),
  }).start()
}
