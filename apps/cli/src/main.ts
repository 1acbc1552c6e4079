import { CliError, EXIT } from './cli-error.js'
import { version } from './version.js'

/**
 * The entry point. It imports nothing heavy: each command is loaded only when it is used, so
 * `penguin --version` costs little more than starting Node.
 */
async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version()}\n`)
    return EXIT.ok
  }
  // Every help text comes from the command table (commands/help-text.ts); no handler prints one.
  const help = helpPath(argv)
  if (help) return (await import('./commands/help-text.js')).printHelpFor(help)
  // Before anything can fetch; a long-lived server keeps V8's default (see wasm-tiering.ts).
  if (first !== 'serve') (await import('./wasm-tiering.js')).keepWasmOnBaseline()
  // Remote mode: `run` and chat on a Penguin server (--server URL or PENGUIN_SERVER).
  // `penguin github … --token` is a GitHub token, not a Penguin server's.
  const remote =
    first !== 'github' &&
    (process.env.PENGUIN_SERVER || argv.some((arg) => /^--(server|token)(=|$)/.test(arg)))
  if (remote) {
    const code = await (await import('./remote/dispatch.js')).remoteCommand(argv)
    if (code !== undefined) return code
  }
  if (first !== undefined && !first.startsWith('-')) {
    // Loaded here, not for `--version`: the table holds every command's help.
    const { findCommand } = await import('./commands/table.js')
    const command = findCommand(first)
    if (!command) {
      throw new CliError(`Unknown command "${first}". Run "penguin --help" for the list of commands.`)
    }
    return (await command.load())(rest)
  }
  return (await import('./commands/chat.js')).chatCommand(argv)
}

/**
 * What `penguin help [COMMAND [SUB]]`, or `--help` / `-h` before any `--`, asks help for: [] for
 * the main help (chat's options included), else the command and maybe its sub-command. Undefined:
 * no help asked for.
 */
function helpPath(argv: string[]): string[] | undefined {
  const end = argv.indexOf('--')
  const head = end === -1 ? argv : argv.slice(0, end)
  if (head[0] === 'help') return head.slice(1, 3)
  if (!head.includes('--help') && !head.includes('-h')) return undefined
  // Remote mode's global flags may come first: `penguin --server URL run --help`.
  let i = 0
  for (let arg = head[i]; arg && /^--(server|token)(=|$)/.test(arg); arg = head[i])
    i += arg.includes('=') ? 1 : 2
  const name = head[i]
  if (name === undefined || name.startsWith('-')) return []
  return head.slice(i, i + 2)
}

const argv = process.argv.slice(2)
const debug = argv.includes('--debug')

/**
 * Exits as soon as output is flushed. Waiting for the event loop to drain would let idle-time work
 * (connection pools winding down, V8's memory reducer) add latency and peak memory after the answer.
 */
function exit(code: number): void {
  process.exitCode = code
  let pending = 2
  const done = () => {
    if (--pending === 0) process.exit(code)
  }
  process.stdout.write('', done)
  process.stderr.write('', done)
}

main(argv).then(
  (code) => exit(code),
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`penguin: ${error.message}\n`)
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`)
      exit(error.exitCode)
      return
    }
    // A bug, not a user error: still no stack trace unless asked for.
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`penguin: unexpected error: ${message}\n`)
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
    else process.stderr.write('Run again with --debug for details.\n')
    exit(EXIT.failed)
  },
)
