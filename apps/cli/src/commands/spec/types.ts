/**
 * The shape of the command table (commands/table.ts). Import-free: main.ts loads the table for
 * every command, `--version` included.
 */

export interface FlagSpec {
  /** Long name without dashes. */
  readonly name: string
  readonly short?: string
  /** The value's placeholder (`FILE`, `N`); a flag without one is a switch. */
  readonly value?: string
  /** The values it accepts, when they are a fixed set (offered by completion). */
  readonly values?: readonly string[]
  /** May be given more than once (its values are collected). */
  readonly multiple?: boolean
  /** One line (wrapped when printed). */
  readonly help: string
}

export type CommandHandler = (argv: string[]) => Promise<number>

export interface SubcommandSpec {
  readonly name: string
  readonly aliases?: readonly string[]
  /** What follows `penguin COMMAND NAME` (positionals and its main flags), e.g. `<id> [--yes]`. */
  readonly args?: string
  readonly summary: string
  /** More about it, for `penguin COMMAND NAME --help`. */
  readonly about?: string
  /** Flags of this sub-command only (the command's own flags apply too). */
  readonly flags?: readonly FlagSpec[]
}

export interface CommandSpec {
  readonly name: string
  readonly aliases?: readonly string[]
  /** What follows `penguin NAME` in the command list, e.g. `[options] "task"`. */
  readonly args?: string
  readonly summary: string
  /** Usage lines (each after `penguin `) when one `penguin NAME ARGS` does not say it all. */
  readonly usage?: readonly string[]
  /** What the command does, for `penguin NAME --help` (paragraphs, printed as written). */
  readonly about?: string
  readonly subcommands?: readonly SubcommandSpec[]
  /** Flags every sub-command takes (or the command's, when it has none). */
  readonly flags?: readonly FlagSpec[]
  /** Printed last in its help: exit codes, notes. */
  readonly footer?: string
  /** Left out of `penguin --help`'s list (still dispatched and completed). */
  readonly hidden?: boolean
  load(): Promise<CommandHandler>
}

type OptionOf<F extends FlagSpec> = (F extends { value: string } ? { type: 'string' } : { type: 'boolean' }) &
  (F extends { multiple: true } ? { multiple: true } : { multiple?: false }) & { short?: string }

/** The `node:util` parseArgs options a list of flags declares (typed by the flags' literal names). */
export type OptionsOf<Fs extends readonly FlagSpec[]> = {
  [F in Fs[number] as F['name']]: OptionOf<F>
}

/** Flags → parseArgs options: a command parses exactly the flags its help lists. */
export function optionsOf<const Fs extends readonly FlagSpec[]>(flags: Fs): OptionsOf<Fs> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}
  for (const flag of flags) {
    options[flag.name] = {
      type: flag.value ? 'string' : 'boolean',
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    }
  }
  return options as OptionsOf<Fs>
}

/** The sub-command `name` of a command, typed (its flags keep their literal names). */
export function subcommand<const C extends CommandSpec, N extends string>(
  command: C,
  name: N,
): Extract<NonNullable<C['subcommands']>[number], { name: N }> {
  const found = command.subcommands?.find((sub) => sub.name === name)
  if (!found) throw new Error(`penguin ${command.name} has no sub-command ${name}`)
  return found as Extract<NonNullable<C['subcommands']>[number], { name: N }>
}
