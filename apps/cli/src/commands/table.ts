/**
 * Every `penguin` command, declared once: its name, aliases, one-line summary, what it does, its
 * sub-commands and flags (with their help), and its handler module loaded on first use. Dispatch
 * (main.ts), `penguin --help`, each command's `--help` (help-text.ts), the flags each handler parses
 * (`optionsOf`), shell completion (`penguin completion bash|zsh|fish`) and the README's command
 * reference (checked by test/cli-commands.test.ts) all come from here.
 *
 * ADDING A COMMAND = one entry in a spec module (spec/*.ts) listed below + its handler module
 * (`export async function xCommand(argv)`, parsing `optionsOf(X.flags)`) + its test. Keep these
 * modules free of imports beyond each other: main.ts loads them for every command, `--version`
 * included.
 */
import { ACP, AGENTS, COMPLETION, DEMO, DOCTOR, RUN, TRUST } from './spec/agent.js'
import { BENCH, GITHUB, MCP, SERVE, WORKER } from './spec/server.js'
import { CHECKPOINT, DB_COMMAND, PROJECT, SESSIONS, STATS, TASK, TOKEN } from './spec/store.js'
import type { CommandSpec, SubcommandSpec } from './spec/types.js'

export { AGENT_FLAGS } from './spec/flags.js'
export type { CommandHandler, CommandSpec, FlagSpec, SubcommandSpec } from './spec/types.js'

export const COMMANDS: readonly CommandSpec[] = [
  RUN,
  DEMO,
  SESSIONS,
  CHECKPOINT,
  PROJECT,
  TASK,
  BENCH,
  SERVE,
  WORKER,
  TOKEN,
  DB_COMMAND,
  STATS,
  AGENTS,
  TRUST,
  MCP,
  ACP,
  GITHUB,
  DOCTOR,
  COMPLETION,
]

/** The command named `name` (or one of its aliases). */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name))
}

/** The sub-command `name` (or alias) of a command. */
export function findSubcommand(command: CommandSpec, name: string | undefined): SubcommandSpec | undefined {
  if (name === undefined) return undefined
  return command.subcommands?.find((sub) => sub.name === name || sub.aliases?.includes(name))
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
