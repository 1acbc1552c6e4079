import { CliError, EXIT } from './cli-error.js'
import { findCommand } from './commands/table.js'
import { MAIN_HELP, version } from './help.js'

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
  // `penguin help COMMAND` is `penguin COMMAND --help`.
  const helpFor = first === 'help' && rest[0] ? findCommand(rest[0]) : undefined
  if (helpFor) return (await helpFor.load())(['--help'])
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${MAIN_HELP}\n`)
    return EXIT.ok
  }
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
    const command = findCommand(first)
    if (!command) {
      throw new CliError(`Unknown command "${first}". Run "penguin --help" for the list of commands.`)
    }
    return (await command.load())(rest)
  }
  return (await import('./commands/chat.js')).chatCommand(argv)
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
