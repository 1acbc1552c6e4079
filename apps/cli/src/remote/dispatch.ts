import { usageError } from '../cli-error.js'

/** `--server URL`, `--server=URL`, `--token T`, `--token=T`. */
const REMOTE_FLAG = /^--(server|token)(=|$)/

/**
 * Remote mode's entry, reached when `--server`/`--token` appears or PENGUIN_SERVER is set. The
 * global flags may come before the command (`penguin --server URL run …`) or among its flags.
 * Returns undefined for commands that always run locally (PENGUIN_SERVER set, `penguin sessions`).
 */
export async function remoteCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | undefined> {
  const end = argv.indexOf('--')
  const explicit = (end === -1 ? argv : argv.slice(0, end)).some((arg) => REMOTE_FLAG.test(arg))
  // `penguin run -- --server` is a task, not a flag.
  if (!explicit && !env.PENGUIN_SERVER) return undefined
  const globals: string[] = []
  let i = 0
  while (i < argv.length && REMOTE_FLAG.test(argv[i]!)) {
    const arg = argv[i]!
    globals.push(arg)
    if (!arg.includes('=')) {
      if (argv[i + 1] === undefined) throw usageError(`${arg} needs a value.`)
      globals.push(argv[i + 1]!)
      i++
    }
    i++
  }
  const rest = argv.slice(i)
  const first = rest[0]
  if (first === 'run') {
    return (await import('../commands/remote-run.js')).remoteRunCommand([...globals, ...rest.slice(1)], env)
  }
  if (first === undefined || first.startsWith('-')) {
    return (await import('../commands/remote-chat.js')).remoteChatCommand([...globals, ...rest], env)
  }
  if (explicit) {
    throw usageError(`--server and --token work with "penguin run" and chat, not with "penguin ${first}".`)
  }
  return undefined
}
