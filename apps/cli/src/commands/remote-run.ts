import { parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { exitCodeFor, onInterrupt } from '../interrupt.js'
import { connectRemote, openRemoteSession, remoteError } from '../remote/connect.js'
import { type PermissionMode, remoteTurn } from '../remote/turn.js'
import { createHumanRenderer, useColor } from '../render/human.js'
import { createJsonRenderer } from '../render/json.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { printHelp } from './help-text.js'

/**
 * `penguin --server URL run "task"`: the same command on a Penguin server. The session lives on the
 * server (workspace = --cwd as this machine resolves it; the server must see that path), its events
 * stream back over SSE into the local renderers, permission asks are answered here, Ctrl-C cancels
 * the run on the server, and the exit code follows the run's status like a local run.
 */
export async function remoteRunCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, 'run')
  if (flags.help) {
    return printHelp(['run'])
  }
  const task = positionals.join(' ').trim()
  if (!task) throw usageError('penguin run needs a task, e.g. penguin run "fix the failing test".')
  const remote = await connectRemote(flags, env)
  const warn = (text: string) => process.stderr.write(text)
  const interactive = !flags.yes && !flags.json && Boolean(process.stdin.isTTY && process.stderr.isTTY)
  const reader = interactive ? new LineReader(process.stdin, process.stderr, true) : undefined
  const permissions: PermissionMode = flags.yes
    ? { kind: 'approve' }
    : reader
      ? {
          kind: 'ask',
          ask: terminalPermissionPrompt(
            reader,
            (text) => process.stderr.write(text),
            promptOn(process.stderr),
          ),
        }
      : { kind: 'reject' }
  const controller = new AbortController()
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => process.stderr.write(text),
  )
  reader?.onInterrupt(interrupt.handle)
  const render = flags.json
    ? createJsonRenderer((text) => process.stdout.write(text))
    : createHumanRenderer({
        text: process.stdout,
        info: process.stderr,
        color: useColor(process.stderr),
        hideReasoning: flags.hideReasoning,
      })
  try {
    const { session } = await openRemoteSession(remote, flags, warn)
    const result = await remoteTurn({
      client: remote.client,
      sessionId: session.id,
      prompt: task,
      render,
      permissions,
      signal: controller.signal,
    })
    if (!flags.json) {
      process.stderr.write(
        `session ${session.id} · continue with: penguin --server ${remote.server} run --session ${session.id} "…"\n`,
      )
    }
    return exitCodeFor(result.status)
  } catch (error) {
    // Interrupted before the server accepted the prompt: nothing ran.
    if (controller.signal.aborted) return EXIT.interrupted
    throw remoteError(error, remote.server)
  } finally {
    interrupt.dispose()
    reader?.close()
  }
}
