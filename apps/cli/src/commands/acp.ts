import { parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { requireSqliteDriver } from '../store/driver.js'
import { printHelp } from './help-text.js'

/**
 * `penguin acp`: Penguin as an Agent Client Protocol agent on stdin/stdout, for editors (Zed,
 * JetBrains, Neovim plugins). stdout carries only the protocol; notes go to stderr.
 */
export async function acpCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, 'acp')
  if (flags.help) {
    return printHelp(['acp'])
  }
  if (positionals.length) throw usageError(`penguin acp takes no arguments (got "${positionals[0]}").`)
  if (flags.continue || flags.session) {
    throw usageError(
      'penguin acp: the editor chooses the session (session/load); --continue/--session do not apply.',
    )
  }
  // ACP sessions are stored sessions: say so now rather than on the first session/new.
  requireSqliteDriver()
  const { serveAcp } = await import('../acp/serve.js')
  await serveAcp(flags)
  return EXIT.ok
}
