import { EXIT, usageError } from '../cli-error.js'
import { parseCommand, print } from '../flags.js'
import { configured } from '../setup.js'
import { printHelp } from './help-text.js'
import { TRUST } from './spec/agent.js'

/** `penguin trust [DIR]`, `penguin trust --list`, `penguin trust --revoke DIR`. */
export async function trustCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, TRUST)
  if (values.help) {
    return printHelp(['trust'])
  }
  if (positionals.length > 1) throw usageError('penguin trust takes one directory.')
  if ((values.list ? 1 : 0) + (values.revoke !== undefined ? 1 : 0) + (positionals.length ? 1 : 0) > 1)
    throw usageError('Use one of: penguin trust [DIR], penguin trust --list, penguin trust --revoke DIR.')
  const config = await import('@penguin-ai/config')
  const where = config.userConfigPath(process.env)

  if (values.list) {
    const entries = await configured(() => config.listTrust({ env: process.env }))
    if (values.json) print(JSON.stringify(entries, null, 2))
    else if (!entries.length) print(`No trusted workspaces yet (${where}). Trust one with: penguin trust DIR`)
    else for (const entry of entries) print(`${entry.trusted ? 'trusted ' : 'declined'}  ${entry.path}`)
    return EXIT.ok
  }
  if (values.revoke !== undefined) {
    if (!values.revoke.trim()) throw usageError('--revoke needs a directory.')
    const result = await configured(() => config.revokeTrust(values.revoke as string, { env: process.env }))
    if (result.coveredBy)
      print(
        `${result.workspace} is no longer trusted (recorded as declined: ${result.coveredBy} above it stays trusted).`,
      )
    else if (result.removed) print(`${result.workspace} is no longer trusted.`)
    else print(`${result.workspace} was not trusted; nothing changed.`)
    return EXIT.ok
  }
  const dir = positionals[0] ?? process.cwd()
  const workspace = await configured(() => config.setTrust(dir, true, { env: process.env }))
  print(
    `Trusted ${workspace}: its agent configuration (.penguin/, .mcp.json, …) now applies in full as it is now; what changes later needs your trust again (recorded in ${where}).`,
  )
  // Trust covers the directories below it too: say what agent configuration they hold, to review.
  const nested = await config.nestedAgentConfig(workspace)
  if (nested.paths.length) {
    const shown = nested.paths.slice(0, 20).join(', ')
    const more = nested.paths.length > 20 ? ` and ${nested.paths.length - 20} more` : ''
    print(`It also covers agent configuration below it, as it is now: ${shown}${more}. Review it.`)
  }
  if (!nested.complete) print('(Stopped looking for agent configuration below it after 20000 directories.)')
  return EXIT.ok
}
