/**
 * MCP servers the editor passes in `session/new` / `session/load`: connected for that session like
 * the user's configured ones. The editor is the user's own program (it started `penguin acp`), so
 * they count as the user's (`origin: 'user'`: trusted, started as given, not sandboxed), whatever
 * the workspace's trust. Their tools ask before each call unless a rule allows them, as any MCP tool.
 */
import type * as acp from '@agentclientprotocol/sdk'
import type { ExtensionSettings, McpServerEntry } from '@penguin-ai/config'

/** Where an editor's servers are said to come from, in `penguin mcp`-style messages. */
export const EDITOR_SOURCE = 'the editor (ACP session)'

/** The transports Penguin connects to: stdio always, and these as `mcpCapabilities` says. */
export const MCP_CAPABILITIES: acp.McpCapabilities = { http: true, sse: true }

/** The editor's servers as config entries; ones Penguin cannot connect to are named in `skipped`. */
export function editorMcpServers(servers: readonly acp.McpServer[] | undefined): {
  entries: McpServerEntry[]
  skipped: string[]
} {
  const entries: McpServerEntry[] = []
  const skipped: string[] = []
  for (const server of servers ?? []) {
    const common = { name: server.name, source: EDITOR_SOURCE, origin: 'user' as const }
    if ('command' in server) {
      entries.push({
        ...common,
        config: {
          command: server.command,
          args: [...server.args],
          env: pairs(server.env),
        },
      })
    } else if ('type' in server && (server.type === 'http' || server.type === 'sse')) {
      entries.push({
        ...common,
        config: { type: server.type, url: server.url, headers: pairs(server.headers) },
      })
    } else {
      skipped.push(server.name)
    }
  }
  return { entries, skipped }
}

/** The session's extension settings: the configured ones, an editor's server replacing one of the same name. */
export function withEditorServers(
  settings: ExtensionSettings,
  entries: readonly McpServerEntry[],
): ExtensionSettings {
  if (entries.length === 0) return settings
  const names = new Set(entries.map((entry) => entry.name))
  return {
    ...settings,
    mcpServers: [...settings.mcpServers.filter((entry) => !names.has(entry.name)), ...entries],
  }
}

function pairs(list: ReadonlyArray<{ name: string; value: string }> | undefined): Record<string, string> {
  const record: Record<string, string> = {}
  for (const { name, value } of list ?? []) record[name] = value
  return record
}
