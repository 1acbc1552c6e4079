import type { ResolvedConfig } from '@penguin-ai/config'
import { preloadModel } from '@penguin-ai/llm'
import { parseAgentArgs } from '../args.js'
import { LineChat } from '../chat/line-chat.js'
import { LocalBackend } from '../chat/local-backend.js'
import { usageError } from '../cli-error.js'
import { interruptStartUp, untilInterrupted } from '../interrupt.js'
import { painter, useColor } from '../render/human.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { prepareAgent, unlockedByTrust } from '../setup.js'
import { printHelp } from './help-text.js'

/** `penguin` with no command: a conversation in the terminal, saved as a session. */
export async function chatCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, '')
  if (flags.help) {
    return printHelp([])
  }
  if (flags.json) throw usageError('--json works with "penguin run"; chat is for people.')
  if (positionals.length)
    throw usageError(`Unexpected argument "${positionals[0]}". To run a task: penguin run "…"`)
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)
  const reader = new LineReader(process.stdin, process.stdout, terminal)
  // Ctrl-C, SIGTERM and SIGHUP during start-up (config, the trust question, extensions, the
  // session) stop the command at once, exit 130; the chat's own handlers take over once it is open.
  const startUp = interruptStartUp(reader)
  const starting = untilInterrupted(startUp.signal, 'the chat')
  try {
    const setup = await starting(
      prepareAgent(flags, {
        warn: (line) => process.stdout.write(`${painter(useColor(process.stdout)).yellow(`! ${line}`)}\n`),
        ...(terminal ? { askTrust: (resolved, files) => askTrust(reader, resolved, files) } : {}),
      }),
    )
    // The first prompt's request need not wait for the model's SDK and HTTP client to load.
    void preloadModel(setup.model)
    // A real terminal gets the chat UI; a pipe, a file or a dumb terminal the plain line chat.
    if (terminal && process.env.TERM !== 'dumb') {
      reader.close()
      const { runLocalTui } = await starting(import('../tui/backends.js'))
      return await runLocalTui(setup, flags, async (opening, close) => {
        try {
          await starting(opening, close)
        } finally {
          startUp.dispose()
        }
      })
    }
    const paint = painter(useColor(process.stdout))
    const say = (text: string) => process.stdout.write(text)
    const backend = new LocalBackend(setup, flags, {
      askPermission: terminalPermissionPrompt(reader, say, promptOn(process.stdout)),
      warn: (text) => say(paint.yellow(text)),
    })
    await starting(backend.open(), () => backend.close())
    startUp.dispose()
    const sandbox = backend.sandboxLine()
    return await new LineChat(backend, reader, {
      hideReasoning: flags.hideReasoning,
      notes: [sandbox],
    }).start()
  } catch (error) {
    reader.close()
    throw error
  } finally {
    startUp.dispose()
  }
}

/** The one-time question about a workspace whose config or extension files only trust unlocks. */
async function askTrust(
  reader: LineReader,
  resolved: ResolvedConfig,
  files: string[],
): Promise<boolean | undefined> {
  const keys = unlockedByTrust(resolved).join(', ')
  const sets = keys ? `${resolved.files.workspace.path} sets ${keys}.\n` : ''
  const has = files.length ? `${resolved.workspace} has ${files.join(', ')}.\n` : ''
  process.stdout.write(
    `\n${sets}${has}` +
      'Penguin applies these only in workspaces you trust: they can send your API key elsewhere, run programs or let the agent do more.\n' +
      'Trust this workspace only if you trust everyone who can change the repository.\n',
  )
  const answer = await reader.read(`Trust ${resolved.workspace}? [y/N] `)
  if (answer === undefined) return undefined
  return /^y(es)?$/i.test(answer.trim())
}
