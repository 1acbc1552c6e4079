/**
 * What extends the agent for a workspace, gathered from every place it can be configured: MCP
 * servers (config `mcpServers` and `mcp`, the workspace's `.mcp.json` and `opencode.json`), hooks,
 * plugins (config `plugins`, plugin folders) and custom tool files. Each entry says where it came
 * from and whether it is the user's own (global config, flags) or the workspace's: workspace
 * settings count only in a trusted workspace (the layers already dropped untrusted ones; the files
 * here are read only when trusted).
 */
import { readdir, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { z } from 'zod'
import { ConfigError } from './errors.js'
import {
  type McpServerConfig,
  mcpServerSchema,
  type OpencodeMcpConfig,
  opencodeMcpSchema,
} from './extension-keys.js'
import { stripJsonComments } from './jsonc.js'
import { readConfigText } from './read.js'
import type { ResolvedConfig } from './resolve.js'

/** `user`: the user's own config or flags (trusted). `workspace`: a trusted workspace's files. */
export type ExtensionOrigin = 'user' | 'workspace'

export interface McpServerEntry {
  name: string
  /** In Claude Code / Cursor shape (opencode entries converted). Strings may still hold `${VAR}`. */
  config: McpServerConfig
  /** The file that configures it. */
  source: string
  origin: ExtensionOrigin
}

export interface HookEntry {
  /** Claude Code's event name (`PreToolUse`, …). */
  event: string
  matcher?: string
  type: string
  command?: string
  /** Seconds. */
  timeout?: number
  source: string
  origin: ExtensionOrigin
}

export interface PluginEntry {
  /** An npm package name or a file path, as configured; or a file found in a plugin folder. */
  spec: string
  /** Where a package name or relative path is resolved from. */
  base: string
  source: string
  origin: ExtensionOrigin
}

export interface ToolFileEntry {
  path: string
  origin: ExtensionOrigin
}

export interface ExtensionSettings {
  mcpServers: McpServerEntry[]
  hooks: HookEntry[]
  plugins: PluginEntry[]
  toolFiles: ToolFileEntry[]
  /**
   * The workspace's extension files left out because it is not trusted (`.mcp.json`,
   * `opencode.json ("mcp")`, `.penguin/plugins/`, `.penguin/tools/`): `ignoredWarning` names them in
   * the same line as the config keys left out.
   */
  ignored: string[]
}

/** Module files Penguin loads as plugins and custom tools. */
export const MODULE_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts']

/** Whether anything at all extends the agent (else nothing extension-related needs loading). */
export function hasExtensions(settings: ExtensionSettings): boolean {
  return (
    settings.mcpServers.length > 0 ||
    settings.hooks.length > 0 ||
    settings.plugins.length > 0 ||
    settings.toolFiles.length > 0
  )
}

export async function extensionSettings(resolved: ResolvedConfig): Promise<ExtensionSettings> {
  const trusted = resolved.trust.state === 'trusted'
  const ws = resolved.workspace
  const userDir = dirname(resolved.files.user.path)
  const servers = new Map<string, McpServerEntry>()
  const hooks: HookEntry[] = []
  const plugins: PluginEntry[] = []
  const add = (entries: McpServerEntry[]) => {
    for (const entry of entries) servers.set(entry.name, entry)
  }
  const [mcpJson, opencode, workspacePlugins, workspaceTools, userPlugins, userTools] = await Promise.all([
    trusted ? readMcpJson(join(ws, '.mcp.json')) : undefined,
    trusted ? readOpencode(ws) : undefined,
    listModules(join(ws, '.penguin', 'plugins')),
    listModules(join(ws, '.penguin', 'tools')),
    listModules(join(userDir, 'plugins')),
    listModules(join(userDir, 'tools')),
  ])

  // Lowest first, so later ones win a name: the user's config, then the workspace's files, then
  // the workspace's Penguin config, then flags.
  const layers = resolved.layers.filter((layer) => layer.kind !== 'environment')
  for (const layer of layers) {
    const origin: ExtensionOrigin = layer.kind === 'workspace' ? 'workspace' : 'user'
    if (layer.kind === 'workspace') {
      if (opencode) add(fromOpencode(opencode.mcp, opencode.path, 'workspace'))
      if (mcpJson) add(named(mcpJson, join(ws, '.mcp.json'), 'workspace'))
    }
    const { config, source } = layer
    if (config.mcp) add(fromOpencode(config.mcp, source, origin))
    if (config.mcpServers) add(named(config.mcpServers, source, origin))
    for (const [event, groups] of Object.entries(config.hooks ?? {})) {
      for (const group of groups) {
        for (const hook of group.hooks) {
          hooks.push({
            event,
            ...(group.matcher !== undefined ? { matcher: group.matcher } : {}),
            type: hook.type,
            ...(hook.command !== undefined ? { command: hook.command } : {}),
            ...(hook.timeout !== undefined ? { timeout: hook.timeout } : {}),
            source,
            origin,
          })
        }
      }
    }
    const base = layer.kind === 'workspace' ? ws : layer.kind === 'user' ? userDir : process.cwd()
    for (const spec of config.plugins ?? []) plugins.push({ spec, base, source, origin })
  }

  for (const path of userPlugins) plugins.push({ spec: path, base: userDir, source: path, origin: 'user' })
  const toolFiles: ToolFileEntry[] = userTools.map((path) => ({ path, origin: 'user' as const }))
  if (trusted) {
    for (const path of workspacePlugins)
      plugins.push({ spec: path, base: ws, source: path, origin: 'workspace' })
    toolFiles.push(...workspaceTools.map((path) => ({ path, origin: 'workspace' as const })))
  }

  const ignored = trusted
    ? []
    : [
        ...((await exists(join(ws, '.mcp.json'))) ? ['.mcp.json'] : []),
        ...(await opencodeWithServers(ws)),
        ...(workspacePlugins.length ? ['.penguin/plugins/'] : []),
        ...(workspaceTools.length ? ['.penguin/tools/'] : []),
      ]
  return { mcpServers: [...servers.values()], hooks, plugins, toolFiles, ignored }
}

function named(
  servers: Record<string, McpServerConfig>,
  source: string,
  origin: ExtensionOrigin,
): McpServerEntry[] {
  return Object.entries(servers).map(([name, config]) => ({ name, config, source, origin }))
}

/** opencode's entries in Claude Code's shape; its `{env:VAR}` becomes `${VAR}`. */
function fromOpencode(
  servers: Record<string, OpencodeMcpConfig>,
  source: string,
  origin: ExtensionOrigin,
): McpServerEntry[] {
  return Object.entries(servers).map(([name, server]) => {
    const common = {
      ...(server.enabled !== undefined ? { enabled: server.enabled } : {}),
      ...(server.timeout !== undefined ? { timeout_ms: server.timeout } : {}),
    }
    const config: McpServerConfig =
      server.type === 'local'
        ? {
            command: envRefs(server.command[0] as string),
            args: server.command.slice(1).map(envRefs),
            ...(server.environment ? { env: mapValues(server.environment, envRefs) } : {}),
            ...common,
          }
        : {
            url: envRefs(server.url),
            ...(server.headers ? { headers: mapValues(server.headers, envRefs) } : {}),
            ...common,
          }
    return { name, config, source, origin }
  })
}

function envRefs(text: string): string {
  return text.replace(/\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, '${$1}')
}

function mapValues(record: Record<string, string>, fn: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]))
}

/** `.mcp.json` (Claude Code's project file); a broken one is a ConfigError naming it. */
async function readMcpJson(path: string): Promise<Record<string, McpServerConfig> | undefined> {
  const text = await readOptional(path)
  if (text === undefined) return undefined
  const json = parseJson(text, path)
  // Built here, not at import: most workspaces have no .mcp.json.
  const schema = z.looseObject({ mcpServers: z.record(z.string().min(1), mcpServerSchema()).optional() })
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `"${issue.path.join('.')}": ` : ''
    throw new ConfigError('invalid_file', `Invalid ${path}: ${where}${issue?.message ?? 'invalid'}.`, {
      file: path,
    })
  }
  return parsed.data.mcpServers ?? {}
}

/** The `mcp` servers of the workspace's opencode.json / opencode.jsonc, if it has any. */
async function readOpencode(
  workspace: string,
): Promise<{ mcp: Record<string, OpencodeMcpConfig>; path: string } | undefined> {
  for (const name of ['opencode.json', 'opencode.jsonc']) {
    const path = join(workspace, name)
    const text = await readOptional(path)
    if (text === undefined) continue
    const schema = z.looseObject({ mcp: z.record(z.string().min(1), opencodeMcpSchema()).optional() })
    const parsed = schema.safeParse(parseJson(stripJsonComments(text), path))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new ConfigError(
        'invalid_file',
        `Invalid ${path}: "${issue?.path.join('.') ?? 'mcp'}": ${issue?.message ?? 'invalid'}.`,
        { file: path },
      )
    }
    return parsed.data.mcp ? { mcp: parsed.data.mcp, path } : undefined
  }
  return undefined
}

/**
 * The workspace's opencode.json / opencode.jsonc when it names MCP servers (`mcp`), for the
 * untrusted-workspace warning: read, never thrown on (a broken file is not this warning's business).
 */
async function opencodeWithServers(workspace: string): Promise<string[]> {
  for (const name of ['opencode.json', 'opencode.jsonc']) {
    const text = await readOptional(join(workspace, name)).catch(() => undefined)
    if (text === undefined) continue
    try {
      const parsed = JSON.parse(stripJsonComments(text)) as { mcp?: unknown }
      return parsed?.mcp && typeof parsed.mcp === 'object' ? [`${name} ("mcp")`] : []
    } catch {
      return []
    }
  }
  return []
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ConfigError('invalid_file', `Invalid ${path}: not valid JSON (${(error as Error).message}).`, {
      file: path,
    })
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  // While a sandboxed command runs, the sandbox mounts an empty directory where a missing `.mcp.json`
  // or `opencode.json(c)` would be (so the command cannot create one): a directory there is no file.
  if ((await stat(path).catch(() => undefined))?.isDirectory()) return undefined
  return readConfigText(path)
}

async function exists(path: string): Promise<boolean> {
  return (await readOptional(path).catch(() => '')) !== undefined
}

/** The module files directly in a folder (sorted), or none when it does not exist. */
async function listModules(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  return names
    .filter(
      (name) => MODULE_EXTENSIONS.includes(extname(name)) && !name.endsWith('.d.ts') && !name.startsWith('.'),
    )
    .sort()
    .map((name) => join(dir, name))
}
