/**
 * `penguin mcp list` and `penguin mcp test NAME`: the configured servers started for real (in
 * parallel, each bounded by its handshake timeout) and as a run starts them — a workspace's stdio
 * servers in the agent's sandbox — their status and tools printed, then stopped.
 */
import { realpath } from 'node:fs/promises'
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
  const { statuses, sandboxed } = await probe(values.cwd, undefined)
  if (values.json) {
    print(JSON.stringify(statuses, null, 2))
    return EXIT.ok
  }
  if (!statuses.length) {
    print('No MCP servers configured. Add one with: penguin mcp add NAME -- CMD ARGS…  (or --url URL)')
    return EXIT.ok
  }
  print(statuses.map((status) => describe(status, sandboxed)).join('\n\n'))
  return EXIT.ok
}

export async function mcpTest(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, MCP, 'test')
  if (values.help) {
    return printHelp(['mcp'])
  }
  const [name, ...extra] = positionals
  if (!name || extra.length) throw usageError('Usage: penguin mcp test NAME')
  const { statuses, sandboxed } = await probe(values.cwd, name)
  const [status] = statuses
  if (!status) {
    throw usageError(`No MCP server "${name}" is configured here. See: penguin mcp list`)
  }
  if (values.json) print(JSON.stringify(status, null, 2))
  else print(describe(status, sandboxed))
  return status.state === 'connected' ? EXIT.ok : EXIT.failed
}

/** The servers' statuses, and the names of those started in the sandbox (a workspace's stdio servers). */
async function probe(
  cwd: string | undefined,
  only: string | undefined,
): Promise<{ statuses: ServerStatus[]; sandboxed: Set<string> }> {
  const config = await import('@penguin-ai/config')
  const workspace = resolve(cwd ?? process.cwd())
  const resolved = await configured(() => config.resolveConfig({ workspace, env: process.env }))
  const settings = await configured(() => config.extensionSettings(resolved))
  const warning = config.ignoredWarning(resolved, settings.ignored)
  if (warning) process.stderr.write(`penguin: ${warning}\n`)
  const servers = settings.mcpServers.filter((server) => only === undefined || server.name === only)
  if (!servers.length) return { statuses: [], sandboxed: new Set() }
  const [{ McpServers }, { childEnvironment }, { sandboxedLaunch }] = await Promise.all([
    import('@penguin-ai/mcp'),
    import('@penguin-ai/tools'),
    import('@penguin-ai/extensions'),
  ])
  // As in a run: programs a workspace's config names run in the agent's sandbox, so what this says
  // about them is what a run will find.
  const workspaceStdio = servers.filter(
    (server) => server.origin === 'workspace' && server.config.command !== undefined,
  )
  const sandbox = workspaceStdio.length
    ? (
        await configured(async () =>
          config.sandboxSetup(resolved, { roots: await sandboxRoots(resolved), env: process.env }),
        )
      ).instance
    : undefined
  const sandboxed = new Set(sandbox ? workspaceStdio.map((server) => server.name) : [])
  const baseEnv: Record<string, string> = {}
  for (const [key, value] of Object.entries(childEnvironment(process.env, resolved.config.env ?? {})))
    if (value !== undefined) baseEnv[key] = value
  const mcp = new McpServers(servers, {
    workspace: resolved.workspace,
    env: process.env,
    baseEnv,
    launch: sandboxedLaunch(sandbox),
    clientInfo: { name: 'penguin', version: version() },
  })
  try {
    await mcp.ready()
    return { statuses: mcp.status(), sandboxed }
  } finally {
    await mcp.close()
  }
}

/** What the agent's sandbox opens: the workspace and the allowed paths that exist (real paths). */
async function sandboxRoots(resolved: { workspace: string; config: { allowedPaths?: string[] } }) {
  const paths = [resolved.workspace, ...(resolved.config.allowedPaths ?? [])]
  const real = await Promise.all(
    paths.map((path) => realpath(resolve(resolved.workspace, path)).catch(() => undefined)),
  )
  return real.filter((path): path is string => path !== undefined)
}

function describe(status: ServerStatus, sandboxed: Set<string>): string {
  const inSandbox = sandboxed.has(status.name)
  const where = `${status.source}${status.origin === 'workspace' ? ` (workspace${inSandbox ? ', runs in the sandbox' : ''})` : ''}`
  const state =
    status.state === 'connected'
      ? `connected (${status.transport}${status.serverInfo ? `, ${status.serverInfo.name} ${status.serverInfo.version}` : ''})`
      : status.state === 'failed'
        ? `failed: ${status.error}`
        : status.state
  const lines = [`${status.name}  ${state}`, `  from ${where}`]
  if (status.state === 'failed' && inSandbox)
    lines.push(
      "  a workspace's stdio servers run in the sandbox (network on, writes only in the workspace and their",
      '  npm cache, secrets and /tmp hidden): run it from the workspace, or add it to your own config to run',
      `  it as configured (penguin mcp add ${status.name} -- CMD ARGS…)`,
    )
  if (status.state === 'connected') {
    lines.push(`  ${status.tools.length} tool${status.tools.length === 1 ? '' : 's'}:`)
    for (const tool of status.tools) {
      const about = tool.description ? `  ${tool.description.split('\n')[0]}` : ''
      lines.push(`    ${tool.name}${about}`)
    }
  }
  return lines.join('\n')
}
