/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { ServerStatus } from '@penguin-ai/mcp'
import type { McpServerStatusJson } from '@penguin-ai/protocol/api'

export function mcpStatusJson(status: ServerStatus): McpServerStatusJson {
  return {
    name: status.name,
    state: status.state,
    ...(status.transport ? { transport: status.transport } : {}),
    ...(status.error ? { error: status.error } : {}),
    source: status.source,
    origin: status.origin,
    ...(status.serverInfo ? { server_info: status.serverInfo } : {}),
    tools: status.tools.map((tool) => ({
      name: tool.name,
      tool: tool.tool,
      ...(tool.description ? { description: tool.description } : {}),
    })),
  }
}
