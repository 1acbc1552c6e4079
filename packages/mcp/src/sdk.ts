/**
 * The one module that imports the official MCP SDK (`@modelcontextprotocol/sdk` 1.x): everything else
 * in this package talks to these re-exports, so an SDK upgrade touches one file.
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js'
export { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
export { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
export {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
export type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
export {
  type CallToolResult,
  CallToolResultSchema,
  type Tool as McpToolInfo,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js'
