/**
 * `penguin mcp add` / `remove`: one MCP server entry written into, or taken out of, the user's config
 * (`mcpServers`) or a workspace's `.mcp.json` (Claude Code's project file), atomically and without
 * touching anything else in the file.
 */
import { join } from 'node:path'
import { ConfigError } from './errors.js'
import { type McpServerConfig, mcpServerSchema } from './extension-keys.js'
import { updateJsonObject } from './json-file.js'
import { userConfigPath } from './paths.js'
import { keepingTrust } from './trust-changes.js'

export interface McpEditOptions {
  env?: NodeJS.ProcessEnv
  /** `user` (default): the user's config; `project`: `<workspace>/.mcp.json`. */
  scope?: 'user' | 'project'
  workspace?: string
}

/** Where `penguin mcp add` writes for these options. */
export function mcpConfigPath(options: McpEditOptions): string {
  if (options.scope === 'project') return join(options.workspace ?? process.cwd(), '.mcp.json')
  return userConfigPath(options.env)
}

/** Adds (or replaces) a server; returns the file written and whether one was replaced. */
export async function addMcpServer(
  name: string,
  server: McpServerConfig,
  options: McpEditOptions = {},
): Promise<{ file: string; replaced: boolean }> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new ConfigError(
      'invalid_value',
      `"${name}" is not a usable MCP server name: use letters, digits, "_", "-" and ".".`,
      { key: 'mcpServers' },
    )
  }
  const parsed = mcpServerSchema().safeParse(server)
  if (!parsed.success) {
    throw new ConfigError(
      'invalid_value',
      `Invalid MCP server "${name}": ${parsed.error.issues[0]?.message}.`,
      {
        key: 'mcpServers',
      },
    )
  }
  const file = mcpConfigPath(options)
  let replaced = false
  await edit(options, () =>
    updateJsonObject(file, (json) => {
      const servers = objectAt(json, 'mcpServers', file)
      replaced = name in servers
      servers[name] = parsed.data
      json.mcpServers = servers
    }),
  )
  return { file, replaced }
}

/** Removes a server; `removed` is false when the file did not name it. */
export async function removeMcpServer(
  name: string,
  options: McpEditOptions = {},
): Promise<{ file: string; removed: boolean }> {
  const file = mcpConfigPath(options)
  let removed = false
  await edit(options, () =>
    updateJsonObject(file, (json) => {
      const servers = objectAt(json, 'mcpServers', file)
      removed = name in servers
      delete servers[name]
      json.mcpServers = servers
    }),
  )
  return { file, removed }
}

/** A project's `.mcp.json` is agent configuration: the user's own edit keeps an intact trust. */
function edit(options: McpEditOptions, write: () => Promise<void>): Promise<void> {
  if (options.scope !== 'project') return write()
  return keepingTrust(options.workspace ?? process.cwd(), options.env, write)
}

function objectAt(json: Record<string, unknown>, key: string, file: string): Record<string, unknown> {
  const value = json[key] ?? {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      'invalid_file',
      `Invalid ${file}: "${key}" must be an object. It was not changed.`,
      {
        file,
        key,
      },
    )
  }
  return value as Record<string, unknown>
}
