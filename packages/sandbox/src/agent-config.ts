/**
 * The names of agent configuration in a workspace: files and directories that Penguin (or another
 * agent the user runs there) reads once the workspace is trusted, and that can then widen what an
 * agent may do or where secrets go (an MCP server whose URL gets `${OPENAI_API_KEY}` in a header, a
 * sub-agent's prompt and tools). An agent must not plant them for later: the file tools ask for an
 * explicit yes before writing one at any depth, and the OS sandbox keeps the workspace root's
 * read-only. The one list both use; a Node-free subpath (`@penguin-ai/sandbox/agent-config`) so
 * importing it loads nothing else.
 */

/** Directories whose whole content is agent configuration (`.opencode/agent(s)/` holds opencode's agents). */
export const AGENT_CONFIG_DIRECTORIES: readonly string[] = Object.freeze(['.penguin', '.claude', '.opencode'])

/** Single files of agent configuration (MCP servers of Claude Code/Cursor, opencode's config). */
export const AGENT_CONFIG_FILES: readonly string[] = Object.freeze([
  '.mcp.json',
  'opencode.json',
  'opencode.jsonc',
])

/** Every agent configuration name, directories first. */
export const AGENT_CONFIG_NAMES: readonly string[] = Object.freeze([
  ...AGENT_CONFIG_DIRECTORIES,
  ...AGENT_CONFIG_FILES,
])
