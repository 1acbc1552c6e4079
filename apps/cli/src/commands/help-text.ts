/**
 * Every help text, generated from the command table: `penguin --help`, `penguin NAME --help`,
 * `penguin NAME SUB --help` (also `penguin help NAME [SUB]`). Nothing else prints help, so the
 * table is the one place a command, sub-command or flag is described.
 */
import { CliError, EXIT, usageError } from '../cli-error.js'
import { CHAT } from './spec/agent.js'
import { AGENT_FLAGS } from './spec/flags.js'
import type { CommandSpec, FlagSpec, SubcommandSpec } from './spec/types.js'
import { commandList, findCommand, findSubcommand } from './table.js'

const WIDTH = 100
/** Where flag help starts: `  -m, --model provider/model   help`. */
const FLAG_COLUMN = 31

/** `words` wrapped to `width`, every line after the first indented by `indent` spaces. */
function wrap(text: string, first: number, width: number, indent: number): string {
  const lines: string[] = []
  let line = ''
  let room = width - first
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line)
      line = word
      room = width - indent
    } else line = line ? `${line} ${word}` : word
  }
  lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

/** Two columns: left padded to `column`, right wrapped beside it (or under it when left is wider). */
function rows(entries: readonly (readonly [string, string])[], column: number): string {
  return entries
    .map(([left, right]) => {
      const head = `  ${wrap(left, 2, WIDTH, 6)}`
      if (head.length + 2 > column)
        return `${head}\n${' '.repeat(column)}${wrap(right, column, WIDTH, column)}`
      return `${head.padEnd(column)}${wrap(right, column, WIDTH, column)}`
    })
    .join('\n')
}

function flagLabel(flag: FlagSpec): string {
  const short = flag.short ? `-${flag.short}, ` : '    '
  return `${short}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`
}

/** The options block of a help text. */
export function flagRows(flags: readonly FlagSpec[]): string {
  return rows(
    flags.map((flag) => [flagLabel(flag), flag.help] as const),
    FLAG_COLUMN,
  )
}

function unique(flags: readonly FlagSpec[]): FlagSpec[] {
  const seen = new Set<string>()
  return flags.filter((flag) => !seen.has(flag.name) && seen.add(flag.name))
}

function usage(lines: readonly string[]): string {
  if (lines.length === 1) return `Usage: ${wrap(lines[0] ?? '', 7, WIDTH, 11)}`
  return `Usage:\n${lines.map((line) => `  ${wrap(line, 2, WIDTH, 6)}`).join('\n')}`
}

/** What follows `penguin NAME` on its usage line. */
function usageArgs(command: CommandSpec): string {
  if (command.subcommands?.length && (!command.args || command.args.includes('…')))
    return '<command> [options]'
  return command.args ?? ((command.flags?.length ?? 0) > 1 ? '[options]' : '')
}

function commandHelp(command: CommandSpec): string {
  const flags = command.flags ?? []
  const subs = command.subcommands ?? []
  const lines = command.usage?.map((line) => `penguin ${line}`) ?? [
    `penguin ${command.name} ${usageArgs(command)}`.trimEnd(),
  ]
  const blocks = [usage(lines)]
  if (command.about) blocks.push(command.about)
  if (subs.length) {
    const entries = subs.map((sub) => [`${sub.name}${sub.args ? ` ${sub.args}` : ''}`, sub.summary] as const)
    const column = Math.min(33, Math.max(...entries.map(([left]) => left.length + 4)))
    const own = subs.some((sub) => sub.flags?.length || sub.about)
    blocks.push(
      `Commands:\n${rows(entries, column)}${own ? `\n(penguin ${command.name} COMMAND --help: its options)` : ''}`,
    )
  }
  if (flags.length) blocks.push(`${subs.length ? 'Common options' : 'Options'}:\n${flagRows(flags)}`)
  if (command.footer) blocks.push(command.footer)
  return blocks.join('\n\n')
}

function subcommandHelp(command: CommandSpec, sub: SubcommandSpec): string {
  const blocks = [usage([`penguin ${command.name} ${sub.name}${sub.args ? ` ${sub.args}` : ''}`])]
  const summary = sub.summary.charAt(0).toUpperCase() + sub.summary.slice(1)
  blocks.push(wrap(`${summary}${/[.)]$/.test(summary) ? '' : '.'}`, 0, WIDTH, 0))
  if (sub.about) blocks.push(sub.about)
  const flags = unique([...(sub.flags ?? []), ...(command.flags ?? [])])
  if (flags.length) blocks.push(`Options:\n${flagRows(flags)}`)
  if (command.footer) blocks.push(command.footer)
  return blocks.join('\n\n')
}

/** `penguin --help`: the commands, then chat's and run's options. */
export function mainHelp(): string {
  return [
    'penguin — an AI software-engineering agent',
    `Usage:\n${commandList(undefined, [['penguin', CHAT.summary]])}`,
    `Options for run and chat:\n${flagRows([...AGENT_FLAGS, { name: 'version', short: 'v', help: 'show the version' }])}`,
    CHAT.about,
    CHAT.footer,
  ].join('\n\n')
}

/**
 * The help for `penguin [COMMAND [SUB]]`: a sub-command's when it is one, else the command's; the
 * main help when no command is named (or the name is not one).
 */
export function helpText(path: readonly string[]): string {
  const command = path[0] === undefined ? undefined : findCommand(path[0])
  if (!command) return mainHelp()
  const sub = findSubcommand(command, path[1])
  return sub ? subcommandHelp(command, sub) : commandHelp(command)
}

/**
 * `penguin help COMMAND` / `penguin COMMAND --help`, as main asks: a command that does not exist is
 * the same usage error (exit 2) as running it, not the main help.
 */
export function printHelpFor(path: readonly string[]): number {
  if (path[0] !== undefined && !findCommand(path[0]))
    throw new CliError(`Unknown command "${path[0]}". Run "penguin --help" for the list of commands.`)
  return printHelp(path)
}

/** Prints the help for `penguin [COMMAND [SUB]]`; resolves with `code`. */
export function printHelp(path: readonly string[], code = 0): number {
  process.stdout.write(`${helpText(path)}\n`)
  return code
}

/**
 * What a command group (`penguin token …`) does with a word that is none of its subcommands: its
 * help for `help`, `--help` or `-h` (exit 0) and for nothing at all (exit 2); otherwise a usage error.
 */
export function subcommandFallback(command: string, sub: string | undefined): number {
  if (sub === undefined) return printHelp([command], EXIT.usage)
  if (sub === 'help' || sub === '--help' || sub === '-h') return printHelp([command], EXIT.ok)
  throw usageError(`Unknown ${command} command "${sub}". Run "penguin ${command} --help" for the list.`)
}
