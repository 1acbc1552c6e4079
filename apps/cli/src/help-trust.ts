// Help text for `penguin trust`; a plain string so --help loads nothing heavy.

export const TRUST_HELP = `Usage:
  penguin trust [DIR]          trust a workspace (default: the current directory) and what is under it
  penguin trust --list         the workspaces you trusted (and declined) [--json]
  penguin trust --revoke DIR   take trust back

A workspace's .penguin/config.json is repository content: anyone who can change the repository
writes it. Until you trust the workspace, Penguin ignores the settings there that widen what the
agent may do or where your keys go — baseUrl, allowedPaths, allow rules (and later MCP servers,
hooks, plugins, agents) — and says so in one warning line. Deny and ask rules always apply.
Interactive chat asks once per workspace. Decisions are kept in your own config,
$XDG_CONFIG_HOME/penguin/config.json (default ~/.config/penguin/config.json), under "trust".`
