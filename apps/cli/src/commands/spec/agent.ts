/** The agent commands: chat, run, acp, demo, agents, trust, doctor, completion. */
import { AGENT_FLAGS, agentFlags, CWD, DEBUG, HELP, JSON_OUT } from './flags.js'
import type { CommandSpec } from './types.js'

/** `penguin` with no command: the chat (its help is `penguin --help`). */
export const CHAT = {
  name: '',
  summary: 'interactive chat in this directory',
  flags: AGENT_FLAGS,
  about: `At a terminal the chat is a terminal UI (Markdown, diffs before edits, Shift+Tab modes, /help);
piped or with TERM=dumb it is a plain line chat. With --server URL it is the same chat on a session
of that server: plan mode runs as the server's read-only plan agent, @path sends this machine's
file, and !command, "always in this workspace" and /model ID say why they cannot apply there.

Commands run in an OS sandbox (bubblewrap): they write only the workspace and a private /tmp,
never read ~/.ssh, ~/.aws and other secrets, and have no network — so they run without asking.
When the sandbox refuses one, Penguin says so and (at a terminal) asks before re-running it outside.

Configuration: ~/.config/penguin/config.json, then <workspace>/.penguin/config.json,
then environment (PENGUIN_MODEL, PENGUIN_SANDBOX, OPENAI_API_KEY, …), then flags. In a workspace
you have not trusted (penguin trust --help), its baseUrl, allowedPaths, allow rules and whatever
widens the sandbox are ignored.`,
  footer: 'Exit codes: 0 finished, 1 run failed, 2 usage or configuration error, 130 interrupted.',
  hidden: true,
  load: async () => (await import('../chat.js')).chatCommand,
} as const satisfies CommandSpec

export const RUN = {
  name: 'run',
  args: '[options] "task"',
  summary: 'run one task non-interactively and exit',
  about: `Runs one task to completion and exits. The assistant's text streams to stdout; tool calls and
a summary (tokens, cost, time) go to stderr. Commands run in the sandbox without asking; without
--yes, file writes (and commands when the sandbox is off) are denied unless you are at a terminal,
where Penguin asks. A command the sandbox refused is re-run outside it only on your yes at a
terminal; unattended, use --sandbox off or "sandbox.excluded_commands".`,
  flags: AGENT_FLAGS,
  footer: 'Exit codes: 0 finished, 1 run failed, 2 usage or configuration error, 130 interrupted.',
  load: async () => (await import('../run.js')).runCommand,
} as const satisfies CommandSpec

export const DEMO = {
  name: 'demo',
  summary: 'watch a complete session on a sample repo (no API key needed)',
  about: `Copies a small sample repository to a temporary directory and runs a complete agent session on it
with a built-in scripted model: real tools, real edits, the sample's tests passing at the end.
No API key needed.`,
  flags: [{ name: 'fast', help: 'no pauses' }, DEBUG, HELP],
  load: async () => (await import('../demo.js')).demoCommand,
} as const satisfies CommandSpec

export const AGENTS = {
  name: 'agents',
  aliases: ['agent'],
  args: 'list|show NAME',
  summary: 'built-in agents and agent files (penguin agents --help)',
  usage: [
    'agents list [--json] [--cwd DIR]',
    'agents show NAME [--json] [--cwd DIR]',
    'run --agent NAME "task"',
  ],
  about: `Built-in agents: build (the default), plan (read-only; writes a plan with todo_write),
explore (read-only, searches fast), test (writes and runs tests), review (read-only). In chat:
/agent NAME.

Agent files are Markdown with YAML front matter (Claude Code's format) — name, description,
tools (a list or "Read, Grep"), model — plus Penguin's permissions, reasoning, max_iterations;
the body is the agent's system prompt. Read from ~/.config/penguin/agents/ and, in a workspace
you trusted (penguin trust), .penguin/agents/, .claude/agents/ and .opencode/agent/. A file with
a problem is reported with its path and field, and skipped. See docs/agents.md.`,
  subcommands: [
    { name: 'list', summary: 'the agents this workspace can use' },
    { name: 'show', args: 'NAME', summary: 'one agent: tools, model, permissions, prompt' },
  ],
  flags: [JSON_OUT, CWD, DEBUG, HELP],
  load: async () => (await import('../agents.js')).agentsCommand,
} as const satisfies CommandSpec

export const TRUST = {
  name: 'trust',
  args: '[DIR]',
  summary: "let a workspace's .penguin/config.json widen access (--list, --revoke DIR)",
  usage: ['trust [DIR]', 'trust --list [--json]', 'trust --revoke DIR'],
  about: `Trusts a workspace (default: the current directory) and what is under it.

A workspace's .penguin/config.json is repository content: anyone who can change the repository
writes it. Until you trust the workspace, Penguin ignores the settings there that widen what the
agent may do or where your keys go — baseUrl, allowedPaths, allow rules, MCP servers, hooks,
plugins, agents — and says so in one warning line. Deny and ask rules always apply.
Interactive chat asks once per workspace. Decisions are kept in your own config,
$XDG_CONFIG_HOME/penguin/config.json (default ~/.config/penguin/config.json), under "trust".

Trust covers the agent configuration (.penguin/, .mcp.json, opencode.json, .claude/agents/, …) of
the workspace and the directories under it as it is when you trust it, and lists what it found
below. Configuration created or changed later (by you, a git pull, or a command an agent ran) is
ignored until you trust that directory again.`,
  flags: [
    { name: 'list', help: 'the workspaces you trusted (and declined)' },
    { name: 'revoke', value: 'DIR', help: 'take trust back' },
    JSON_OUT,
    DEBUG,
    HELP,
  ],
  load: async () => (await import('../trust.js')).trustCommand,
} as const satisfies CommandSpec

export const ACP = {
  name: 'acp',
  args: '[options]',
  summary: 'Agent Client Protocol on stdio, for editors (Zed, JetBrains)',
  about: `Speaks the Agent Client Protocol (ACP) on stdin/stdout, so an editor runs Penguin as its agent:
Zed, JetBrains IDEs, Neovim plugins. The editor starts it; see docs/editors.md for the settings.
Every session the editor opens is an ordinary saved Penguin session (penguin sessions list).
The options apply to every session of the connection; the editor gives the workspace.
Permission questions go to the editor (allow once, always for this session, reject).`,
  flags: [
    ...agentFlags(
      'model',
      'base-url',
      'api',
      'reasoning',
      'agent',
      'sandbox',
      'network',
      'db',
      'yes',
      'debug',
      'help',
    ),
  ],
  load: async () => (await import('../acp.js')).acpCommand,
} as const satisfies CommandSpec

export const DOCTOR = {
  name: 'doctor',
  summary: 'check this machine: the sandbox, config, model, database, git',
  about: `Checks what Penguin needs on this machine and says how to fix what is missing: Node.js, your config
and the workspace's (and whether it is trusted), the sandbox (bubblewrap found, a trial command run
in this workspace with the mode it would get, Penguin's own process invisible to it), the model and
its key, the SQLite driver, PostgreSQL when PENGUIN_DATABASE_URL is set (reachable, schema current),
git.`,
  flags: [CWD, JSON_OUT, HELP],
  footer: 'Exits 1 when something needed is broken.',
  load: async () => (await import('../doctor.js')).doctorCommand,
} as const satisfies CommandSpec

export const COMPLETION = {
  name: 'completion',
  args: 'bash|zsh|fish',
  summary: 'shell completion script for bash, zsh or fish',
  about: `Prints a shell completion script for penguin's commands, sub-commands, flags and flag values.
  bash:  penguin completion bash > ~/.local/share/bash-completion/completions/penguin
  zsh:   penguin completion zsh > "\${fpath[1]}/_penguin"   (or: source <(penguin completion zsh))
  fish:  penguin completion fish > ~/.config/fish/completions/penguin.fish`,
  subcommands: [
    { name: 'bash', summary: 'the bash script' },
    { name: 'zsh', summary: 'the same script through zsh’s bashcompinit' },
    { name: 'fish', summary: 'the fish script' },
  ],
  flags: [HELP],
  load: async () => (await import('../completion.js')).completionCommand,
} as const satisfies CommandSpec
