import { resolve } from 'node:path'
import { EXIT, usageError } from '../cli-error.js'
import { parseSubcommand, parseWholeNumber, print } from '../flags.js'
import { configured } from '../setup.js'
import { printHelp } from './help-text.js'
import { MCP } from './spec/server.js'

/** `penguin mcp list|add|remove|test|serve`. */
export async function mcpCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    return printHelp(['mcp'], sub === undefined ? EXIT.usage : EXIT.ok)
  }
  switch (sub) {
    case 'list':
    case 'ls':
      return (await import('./mcp-status.js')).mcpList(rest)
    case 'test':
      return (await import('./mcp-status.js')).mcpTest(rest)
    case 'add':
      return mcpAdd(rest)
    case 'remove':
    case 'rm':
      return mcpRemove(rest)
    case 'serve':
      return (await import('./mcp-serve.js')).mcpServe(rest)
    default:
      throw usageError(`Unknown mcp command "${sub}". Run "penguin mcp --help" for usage.`)
  }
}

function scopeOf(raw: string | undefined): 'user' | 'project' {
  if (raw === undefined || raw === 'user' || raw === 'global') return 'user'
  if (raw === 'project' || raw === 'workspace') return 'project'
  throw usageError(`--scope must be "user" or "project" (got "${raw}").`)
}

async function mcpAdd(argv: string[]): Promise<number> {
  // Everything after `--` is the server's command line, flags included.
  const dash = argv.indexOf('--')
  const own = dash === -1 ? argv : argv.slice(0, dash)
  const commandLine = dash === -1 ? [] : argv.slice(dash + 1)
  const { values, positionals } = parseSubcommand(own, MCP, 'add')
  if (values.help) {
    return printHelp(['mcp'])
  }
  const [name, ...extra] = positionals
  if (!name) throw usageError('penguin mcp add needs a name: penguin mcp add NAME -- CMD ARGS… or --url URL.')
  if (extra.length) {
    throw usageError(`Put the server's command after "--": penguin mcp add ${name} -- ${extra.join(' ')}`)
  }
  if ((values.url === undefined) === (commandLine.length === 0)) {
    throw usageError('penguin mcp add needs either "-- CMD ARGS…" (a stdio server) or "--url URL", not both.')
  }
  const transport = values.transport
  if (transport !== undefined && transport !== 'http' && transport !== 'sse') {
    throw usageError(`--transport must be "http" or "sse" (got "${transport}").`)
  }
  if (transport !== undefined && values.url === undefined) throw usageError('--transport goes with --url.')
  // `${VAR}` is expanded when the server starts, so a URL may begin with one.
  if (values.url !== undefined && !/^(https?:\/\/|\$\{)/i.test(values.url.trim())) {
    throw usageError(`--url must be an http:// or https:// URL (got "${values.url}").`)
  }
  const env = pairs(values.env ?? [], '=', '--env', 'KEY=VALUE')
  const headers = pairs(values.header ?? [], ':', '--header', '"Name: value"')
  if (values.url !== undefined && Object.keys(env).length)
    throw usageError('--env is for stdio servers; use --header with --url.')
  if (values.url === undefined && Object.keys(headers).length) throw usageError('--header goes with --url.')
  const timeout =
    values['timeout-ms'] !== undefined ? parseWholeNumber('--timeout-ms', values['timeout-ms'], 1) : undefined
  const server = {
    ...(values.url !== undefined
      ? {
          ...(transport === 'sse' ? { type: 'sse' as const } : {}),
          url: values.url,
          ...(Object.keys(headers).length ? { headers } : {}),
        }
      : {
          command: commandLine[0] as string,
          args: commandLine.slice(1),
          ...(Object.keys(env).length ? { env } : {}),
        }),
    ...(timeout !== undefined ? { timeout_ms: timeout } : {}),
  }
  const config = await import('@penguin-ai/config')
  const { file, replaced } = await configured(() =>
    config.addMcpServer(name, server, {
      env: process.env,
      scope: scopeOf(values.scope),
      workspace: resolve(values.cwd ?? process.cwd()),
    }),
  )
  print(
    `${replaced ? 'Replaced' : 'Added'} MCP server "${name}" in ${file}. Check it with: penguin mcp test ${name}`,
  )
  return EXIT.ok
}

async function mcpRemove(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, MCP, 'remove')
  if (values.help) {
    return printHelp(['mcp'])
  }
  const [name, ...extra] = positionals
  if (!name || extra.length) throw usageError('Usage: penguin mcp remove NAME [--scope user|project]')
  const config = await import('@penguin-ai/config')
  const { file, removed } = await configured(() =>
    config.removeMcpServer(name, {
      env: process.env,
      scope: scopeOf(values.scope),
      workspace: resolve(values.cwd ?? process.cwd()),
    }),
  )
  // An unknown name is a usage error (exit 2), as for `penguin mcp test NAME`.
  if (!removed) throw usageError(`No MCP server "${name}" in ${file}; nothing changed. See: penguin mcp list`)
  print(`Removed MCP server "${name}" from ${file}.`)
  return EXIT.ok
}

function pairs(items: string[], separator: string, flag: string, shape: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const at = item.indexOf(separator)
    const key = at > 0 ? item.slice(0, at).trim() : ''
    if (!key) throw usageError(`${flag} takes ${shape} (got "${item}").`)
    out[key] = item.slice(at + 1).trim()
  }
  return out
}
