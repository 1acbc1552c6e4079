/**
 * `penguin mcp list` and `penguin mcp test NAME`: the configured servers started for real (in
 * parallel, each bounded by its handshake timeout), their status and tools printed, then stopped.
 */
import { resolve } from 'node:path'
import type { ServerStatus } from '@penguin-ai/mcp'
import { EXIT, usageError } from '../cli-error.js'
import { parseSubcommand, print } from '../flags.js'
import { configured } from '../setup.js'
import { version } from '../version.js'
import { printHelp } from './help-text.js'
import { MCP } from './spec/server.js'

export async function mcpList(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, MCP, 'list')
  if (values.help) {
    return printHelp(['mcp'])
  }
  if (positionals.length)
    throw usageError('penguin mcp list takes no arguments (did you mean penguin mcp test NAME?).')
  const statuses = await probe(values.cwd, undefined)
  if (values.json) {
    print(JSON.stringify(statuses, null, 2))
    return EXIT.ok
  }
  if (!statuses.length) {
    print('No MCP servers configured. Add one with: penguin mcp add NAME -- CMD ARGS…  (or --url URL)')
    return EXIT.ok
  }
  print(statuses.map(describe).join('\n\n'))
  return EXIT.ok
}

export async function mcpTest(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, MCP, 'test')
  if (values.help) {
    return printHelp(['mcp'])
  }
  const [name, ...extra] = positionals
  if (!name || extra.length) throw usageError('Usage: penguin mcp test NAME')
  const [status] = await probe(values.cwd, name)
  if (!status) {
    throw usageError(`No MCP server "${name}" is configured here. See: penguin mcp list`)
  }
  if (values.json) print(JSON.stringify(status, null, 2))
  else print(describe(status))
  return status.state === 'connected' ? EXIT.ok : EXIT.failed
}

async function probe(cwd: string | undefined, only: string | undefined): Promise<ServerStatus[]> {
  const config = await import('@penguin-ai/config')
  const workspace = resolve(cwd ?? process.cwd())
  const resolved = await configured(() => config.resolveConfig({ workspace, env: process.env }))
  const settings = await configured(() => config.extensionSettings(resolved))
  const warning = config.ignoredWarning(resolved)
  for (const line of [...(warning ? [warning] : []), ...settings.warnings])
    process.stderr.write(`penguin: ${line}\n`)
  const servers = settings.mcpServers.filter((server) => only === undefined || server.name === only)
  if (!servers.length) return []
  const [{ McpServers }, { childEnvironment }] = await Promise.all([
    import('@penguin-ai/mcp'),
    import('@penguin-ai/tools'),
  ])
  const baseEnv: Record<string, string> = {}
  for (const [key, value] of Object.entries(childEnvironment(process.env, resolved.config.env ?? {})))
    if (value !== undefined) baseEnv[key] = value
  const mcp = new McpServers(servers, {
    workspace: resolved.workspace,
    env: process.env,
    baseEnv,
    clientInfo: { name: 'penguin', version: version() },
  })
  try {
    await mcp.ready()
    return mcp.status()
  } finally {
    await mcp.close()
  }
}

function describe(status: ServerStatus): string {
  const where = `${status.source}${status.origin === 'workspace' ? ' (workspace)' : ''}`
  const state =
    status.state === 'connected'
      ? `connected (${status.transport}${status.serverInfo ? `, ${status.serverInfo.name} ${status.serverInfo.version}` : ''})`
      : status.state === 'failed'
        ? `failed: ${status.error}`
        : status.state
  const lines = [`${status.name}  ${state}`, `  from ${where}`]
  if (status.state === 'connected') {
    lines.push(`  ${status.tools.length} tool${status.tools.length === 1 ? '' : 's'}:`)
    for (const tool of status.tools) {
      const about = tool.description ? `  ${tool.description.split('\n')[0]}` : ''
      lines.push(`    ${tool.name}${about}`)
    }
  }
  return lines.join('\n')
}
