/** Exit codes are a public contract. */
export const EXIT = {
  ok: 0,
  /** The run failed: model error, budget, unreachable after retries. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const

/** An error meant for the user: printed as one clear line, never with a stack (unless --debug). */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage)
}

/**
 * A `node:util` parseArgs error as one line pointing at the command's help. Node's advice after an
 * unknown option (how to pass a positional that starts with "-") is dropped: a mistyped flag is far
 * likelier, and the help lists the real ones.
 */
export function flagError(error: unknown, command: string): CliError {
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/\. To specify a positional argument[\s\S]*$/, '')
    // parseArgs' "argument is ambiguous" spans three lines: one line, as every error here.
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '')
  const help = ['penguin', command, '--help'].filter(Boolean).join(' ')
  return usageError(`${message}. Run "${help}" for usage.`)
}
