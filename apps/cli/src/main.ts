import { CliError, EXIT } from './cli-error.js'
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
  switch (first) {
    case 'run':
      return (await import('./commands/run.js')).runCommand(rest)
    case 'demo':
      return (await import('./commands/demo.js')).demoCommand(rest)
    case 'project':
      return (await import('./commands/project.js')).projectCommand(rest)
    case 'task':
      return (await import('./commands/task.js')).taskCommand(rest)
    case 'sessions':
    case 'session':
      return (await import('./commands/sessions.js')).sessionsCommand(rest)
    case 'checkpoint':
    case 'checkpoints':
      return (await import('./commands/checkpoint.js')).checkpointCommand(rest)
    case 'bench':
      return (await import('./commands/bench.js')).benchCommand(rest)
    case 'stats':
      return (await import('./commands/stats.js')).statsCommand(rest)
    case 'serve':
      return (await import('./commands/serve.js')).serveCommand(rest)
    case 'mcp':
      return (await import('./commands/mcp.js')).mcpCommand(rest)
    case 'agents':
    case 'agent':
      return (await import('./commands/agents.js')).agentsCommand(rest)
    case 'trust':
      return (await import('./commands/trust.js')).trustCommand(rest)
    case 'doctor':
      return (await import('./commands/doctor.js')).doctorCommand(rest)
    case 'token':
    case 'tokens':
      return (await import('./commands/token.js')).tokenCommand(rest)
    case 'acp':
      return (await import('./commands/acp.js')).acpCommand(rest)
    case 'github':
      return (await import('./commands/github.js')).githubCommand(rest)
    case 'db':
      return (await import('./commands/db.js')).dbCommand(rest)
    default:
      if (first !== undefined && !first.startsWith('-')) {
        throw new CliError(`Unknown command "${first}". Run "penguin --help" for the list of commands.`)
      }
      return (await import('./commands/chat.js')).chatCommand(argv)
  }
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
