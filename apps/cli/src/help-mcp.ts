// Help text for `penguin mcp`; a plain string so --help loads nothing heavy.

export const MCP_HELP = `Usage:
  penguin mcp list [--json]                   the MCP servers configured here: status and tools
  penguin mcp add NAME [options] -- CMD ARGS… add a stdio server (run as CMD ARGS…)
  penguin mcp add NAME --url URL [options]    add a streamable HTTP server (falls back to SSE)
  penguin mcp remove NAME [--scope S]         remove a server
  penguin mcp test NAME                       start one server and list its tools (exit 1 if it fails)
  penguin mcp serve [--allow-writes]          Penguin itself as an MCP server over stdio

Options:
      --cwd DIR              the workspace (default: the current directory)
      --scope user|project   add/remove in your config (default) or in the workspace's .mcp.json
  -e, --env KEY=VALUE        a variable for a stdio server (repeatable; \${VAR} is expanded at start)
  -H, --header "K: V"        an HTTP header (repeatable), e.g. -H "Authorization: Bearer \${TOKEN}"
      --transport http|sse   with --url: SSE only, for servers that speak nothing else
      --timeout-ms N         handshake and call timeout for this server
      --json                 machine-readable output (list)

Servers come from "mcpServers" in your config (~/.config/penguin/config.json) and, in a trusted
workspace, from .penguin/config.json, .mcp.json and opencode.json ("mcp"). Each server's tools reach
the model as mcp__<server>__<tool>; they ask before running unless a permission rule allows them,
e.g. {"tool": "mcp__github__*", "action": "allow"}. Per server: "enabled", "include" / "exclude"
(tool name patterns), "timeout_ms".`
