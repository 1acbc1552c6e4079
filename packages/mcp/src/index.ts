/**
 * `@penguin-ai/mcp`: Penguin's MCP client on the official SDK. MCP servers configured in Claude Code
 * / Cursor / opencode shape become agent tools `mcp__<server>__<tool>` through the engine's
 * extension seam.
 */
export { type ConnectOptions, connectServer, type McpConnection, type ProgramLauncher } from './connect.js'
export { type Expansion, expandVariables } from './expand.js'
export { MAX_TOOL_NAME, matchesAny, sanitize, toolNames } from './names.js'
export {
  PENGUIN_REPLY_TOOL,
  PENGUIN_RUN_TOOL,
  type PenguinReplyInput,
  type PenguinRunInput,
  type PenguinRunner,
  type PenguinRunOutcome,
  penguinMcpServer,
  servePenguinOverStdio,
} from './serve.js'
export {
  McpServers,
  type McpServersOptions,
  type ServerState,
  type ServerStatus,
} from './servers.js'
export {
  DEFAULT_CALL_MS,
  DEFAULT_HANDSHAKE_MS,
  type HttpSpec,
  type ServerSpec,
  type SpecOutcome,
  type StdioSpec,
  serverSpec,
} from './spec.js'
export { mcpTool, toResult } from './tool.js'
