/**
 * Every `penguin` command, declared once: its name, aliases, one-line summary, sub-commands and
 * flags, and its handler module loaded on first use. Dispatch (main.ts), the command list in
 * `penguin --help`, shell completion (`penguin completion bash|zsh|fish`) and the README's command
 * reference (checked by test/cli-commands.test.ts) all read this table.
 *
 * ADDING A COMMAND = one entry here + its handler module (`export async function xCommand(argv)`)
 * + its test. Keep this module free of imports: main.ts loads it for every command, `--version`
 * included.
 */

export interface FlagSpec {
  /** Long name without dashes. */
  name: string
  short?: string
  /** The value's placeholder (`FILE`, `N`); a flag without one is a switch. */
  value?: string
  /** The values it accepts, when they are a fixed set (offered by completion). */
  values?: readonly string[]
  help: string
}

export type CommandHandler = (argv: string[]) => Promise<number>

export interface CommandSpec {
  name: string
  aliases?: readonly string[]
  /** What follows `penguin NAME` in the command list, e.g. `[options] "task"`. */
  args?: string
  summary: string
  subcommands?: readonly string[]
  flags?: readonly FlagSpec[]
  /** Left out of `penguin --help`'s list (still dispatched and completed). */
  hidden?: boolean
  load(): Promise<CommandHandler>
}

const SANDBOX_MODES = ['workspace-write', 'read-only', 'off'] as const

/** Flags of `run` and chat (parsed by args.ts `parseAgentArgs`; a test keeps the two in step). */
export const AGENT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'model',
    short: 'm',
    value: 'provider/model',
    help: 'e.g. openai/gpt-4o, anthropic/claude-sonnet-4-5',
  },
  { name: 'base-url', value: 'URL', help: "the provider's endpoint, or any OpenAI-compatible one" },
  { name: 'api', value: 'WIRE', values: ['chat', 'responses', 'anthropic'], help: 'the wire to speak' },
  {
    name: 'reasoning',
    value: 'LEVEL',
    values: ['off', 'minimal', 'low', 'medium', 'high'],
    help: 'how hard a reasoning model thinks',
  },
  { name: 'hide-reasoning', help: "do not print the model's reasoning" },
  { name: 'agent', value: 'NAME', help: 'run as an agent: build, plan, explore, test, review, or a file' },
  { name: 'cwd', value: 'DIR', help: 'workspace directory (default: current directory)' },
  { name: 'yes', short: 'y', help: 'allow writes and commands without asking' },
  { name: 'sandbox', value: 'MODE', values: SANDBOX_MODES, help: 'how commands run' },
  { name: 'network', help: 'let sandboxed commands use the network for this run' },
  { name: 'max-iterations', value: 'N', help: 'model calls per run (default 50)' },
  { name: 'continue', short: 'c', help: 'resume the latest session of this workspace' },
  { name: 'session', short: 's', value: 'ID', help: 'resume a session' },
  { name: 'db', value: 'FILE', help: 'session database' },
  { name: 'json', help: 'one JSON event per line (run only)' },
  { name: 'server', value: 'URL', help: 'run on a Penguin server (or PENGUIN_SERVER)' },
  { name: 'token', value: 'TOKEN', help: "the server's token (or PENGUIN_TOKEN)" },
  { name: 'trace', value: 'FILE', help: "write the run's spans to FILE as JSON (run only)" },
  { name: 'debug', help: 'show stack traces for errors' },
  { name: 'help', short: 'h', help: 'show help' },
]

const JSON_FLAG: FlagSpec = { name: 'json', help: 'JSON output' }
const DB_FLAG: FlagSpec = { name: 'db', value: 'FILE', help: 'the SQLite database' }
const CWD_FLAG: FlagSpec = { name: 'cwd', value: 'DIR', help: 'workspace directory' }
const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', help: 'show help' }

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    args: '[options] "task"',
    summary: 'run one task non-interactively and exit',
    flags: AGENT_FLAGS,
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'demo',
    summary: 'watch a complete session on a sample repo (no API key needed)',
    flags: [{ name: 'fast', help: 'no pauses' }, HELP_FLAG],
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'sessions',
    aliases: ['session'],
    args: '…',
    summary: 'saved sessions: list, show, export, delete, fork',
    subcommands: ['list', 'show', 'export', 'delete', 'fork'],
    flags: [JSON_FLAG, DB_FLAG, CWD_FLAG, HELP_FLAG],
    load: async () => (await import('./sessions.js')).sessionsCommand,
  },
  {
    name: 'checkpoint',
    aliases: ['checkpoints'],
    args: '…',
    summary: 'workspace snapshots: list, diff, restore (undo)',
    subcommands: ['list', 'diff', 'restore'],
    flags: [JSON_FLAG, DB_FLAG, CWD_FLAG, { name: 'yes', short: 'y', help: 'do not ask' }, HELP_FLAG],
    load: async () => (await import('./checkpoint.js')).checkpointCommand,
  },
  {
    name: 'project',
    args: '…',
    summary: 'projects: create, list, show, delete, plan from a spec, run',
    subcommands: ['create', 'list', 'show', 'delete', 'plan', 'run'],
    flags: [JSON_FLAG, DB_FLAG, HELP_FLAG],
    load: async () => (await import('./project.js')).projectCommand,
  },
  {
    name: 'task',
    args: '…',
    summary: 'tasks of a project: add, list, show, start, done, deps, graph',
    subcommands: ['add', 'list', 'show', 'start', 'done', 'deps', 'graph'],
    flags: [JSON_FLAG, DB_FLAG, HELP_FLAG],
    load: async () => (await import('./task.js')).taskCommand,
  },
  {
    name: 'bench',
    args: '…',
    summary: 'benchmarks: humaneval, swebench (see penguin bench --help)',
    subcommands: ['humaneval', 'swebench'],
    flags: [{ name: 'model', short: 'm', value: 'provider/model', help: 'the model' }, HELP_FLAG],
    load: async () => (await import('./bench.js')).benchCommand,
  },
  {
    name: 'serve',
    args: '[options]',
    summary: 'the HTTP API server (see penguin serve --help)',
    flags: [
      { name: 'host', value: 'HOST', help: 'address to listen on' },
      { name: 'port', value: 'PORT', help: 'port to listen on' },
      { name: 'root', value: 'DIR', help: 'workspaces must lie under DIR' },
      { name: 'model', short: 'm', value: 'provider/model', help: 'the default model' },
      { name: 'sandbox', value: 'MODE', values: SANDBOX_MODES, help: 'how commands run' },
      DB_FLAG,
      { name: 'database', value: 'URL', help: 'a PostgreSQL URL (shared by several servers)' },
      { name: 'workers', value: 'N', help: 'with --database: also run N queued runs in this process' },
      HELP_FLAG,
    ],
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'worker',
    args: '[options]',
    summary: 'execute runs queued by servers sharing a PostgreSQL database',
    flags: [
      { name: 'database', value: 'URL', help: 'the shared PostgreSQL database' },
      { name: 'root', value: 'DIR', help: 'workspaces under DIR are reachable here (repeatable)' },
      { name: 'concurrency', value: 'N', help: 'runs at once (default 1)' },
      { name: 'heartbeat', value: 'SECONDS', help: 'lease timeout (default 30)' },
      { name: 'grace', value: 'SECONDS', help: 'SIGTERM: time to finish before handing back (default 20)' },
      { name: 'sandbox', value: 'MODE', values: SANDBOX_MODES, help: 'how commands run' },
      HELP_FLAG,
    ],
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'token',
    aliases: ['tokens'],
    args: '…',
    summary: 'API tokens for the server: create, list, revoke',
    subcommands: ['create', 'list', 'revoke'],
    flags: [JSON_FLAG, DB_FLAG, HELP_FLAG],
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'db',
    args: 'migrate|copy …',
    summary: 'the database: apply schema changes; copy SQLite into PostgreSQL',
    subcommands: ['migrate', 'copy'],
    flags: [{ name: 'database', value: 'URL', help: 'a PostgreSQL URL' }, DB_FLAG, JSON_FLAG, HELP_FLAG],
    load: async () => (await import('./db.js')).dbCommand,
  },
  {
    name: 'stats',
    args: '[--since 7d]',
    summary: 'runs, tokens and cost by model and by project',
    flags: [{ name: 'since', value: 'DURATION', help: 'e.g. 7d, 24h' }, JSON_FLAG, DB_FLAG, HELP_FLAG],
    load: async () => (await import('./stats.js')).statsCommand,
  },
  {
    name: 'agents',
    aliases: ['agent'],
    args: 'list|show NAME',
    summary: 'built-in agents and agent files (penguin agents --help)',
    subcommands: ['list', 'show'],
    flags: [JSON_FLAG, CWD_FLAG, HELP_FLAG],
    load: async () => (await import('./agents.js')).agentsCommand,
  },
  {
    name: 'trust',
    args: '[DIR]',
    summary: "let a workspace's .penguin/config.json widen access (--list, --revoke DIR)",
    flags: [
      { name: 'list', help: 'trusted workspaces' },
      { name: 'revoke', value: 'DIR', help: 'revoke' },
      JSON_FLAG,
      HELP_FLAG,
    ],
    load: async () => (await import('./trust.js')).trustCommand,
  },
  {
    name: 'mcp',
    args: '…',
    summary: 'MCP servers: list, add, remove, test; serve (Penguin as an MCP server)',
    subcommands: ['list', 'add', 'remove', 'test', 'serve'],
    flags: [JSON_FLAG, HELP_FLAG],
    load: async () => (await import('./mcp.js')).mcpCommand,
  },
  {
    name: 'acp',
    args: '[options]',
    summary: 'Agent Client Protocol on stdio, for editors (Zed, JetBrains)',
    flags: AGENT_FLAGS.filter((flag) =>
      [
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
      ].includes(flag.name),
    ),
    load: async () => (await import('./acp.js')).acpCommand,
  },
  {
    name: 'github',
    args: 'run|review …',
    summary: 'issues to pull requests, pull request reviews (penguin github --help)',
    subcommands: ['run', 'review'],
    flags: [
      { name: 'repo', value: 'OWNER/NAME', help: 'the repository' },
      { name: 'issue', value: 'N', help: 'the issue to work on (run)' },
      { name: 'pr', value: 'N', help: 'the pull request to review (review)' },
      HELP_FLAG,
    ],
    load: async () => (await import('./github.js')).githubCommand,
  },
  {
    name: 'doctor',
    summary: 'check this machine: the sandbox, config, model, database, git',
    flags: [CWD_FLAG, JSON_FLAG, HELP_FLAG],
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'completion',
    args: 'bash|zsh|fish',
    summary: 'shell completion script for bash, zsh or fish',
    subcommands: ['bash', 'zsh', 'fish'],
    load: async () => (await import('./completion.js')).completionCommand,
  },
]

/** The command named `name` (or one of its aliases). */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name))
}

/** The command list of `penguin --help` (and the README's command reference). */
export function commandList(
  commands: readonly CommandSpec[] = COMMANDS,
  leading: readonly (readonly [string, string])[] = [],
): string {
  const rows = [
    ...leading,
    ...commands
      .filter((command) => !command.hidden)
      .map(
        (command) =>
          [`penguin ${command.name}${command.args ? ` ${command.args}` : ''}`, command.summary] as const,
      ),
  ]
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')
}
