import { type ParseArgsConfig, parseArgs } from 'node:util'
import { flagError, usageError } from './cli-error.js'
import { type CommandSpec, type FlagSpec, type OptionsOf, optionsOf } from './commands/spec/types.js'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/**
 * `parseArgs` with errors turned into usage errors that point at the command's help. Strict: an
 * unknown flag is an error, never silently ignored.
 */
export function parseFlags<const T extends OptionsConfig>(
  argv: string[],
  options: T,
  command: string,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw flagError(error, command)
  }
}

type Parsed<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>
>
type FlagsOf<T> = T extends { readonly flags: readonly (infer F extends FlagSpec)[] } ? F : never
type SubOf<C extends CommandSpec, N> = Extract<NonNullable<C['subcommands']>[number], { name: N }>

/** Parses a command's flags, exactly as the command table declares them (its help lists the same). */
export function parseCommand<const C extends CommandSpec>(
  argv: string[],
  command: C,
): Parsed<OptionsOf<readonly FlagsOf<C>[]>> {
  return parseFlags(argv, optionsOf((command.flags ?? []) as unknown as readonly FlagsOf<C>[]), command.name)
}

/** Parses a sub-command's flags and its command's, as the command table declares them. */
export function parseSubcommand<
  const C extends CommandSpec,
  const N extends NonNullable<C['subcommands']>[number]['name'],
>(argv: string[], command: C, name: N): Parsed<OptionsOf<readonly (FlagsOf<C> | FlagsOf<SubOf<C, N>>)[]>> {
  const sub = command.subcommands?.find((entry) => entry.name === name)
  const flags = [...(sub?.flags ?? []), ...(command.flags ?? [])] as unknown as readonly (
    | FlagsOf<C>
    | FlagsOf<SubOf<C, N>>
  )[]
  return parseFlags(argv, optionsOf(flags), `${command.name} ${name}`)
}

/** A record id: `7`, not `7.5`, `-1` or `abc`. */
export function parseId(what: string, raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') throw usageError(`Missing ${what}.`)
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw usageError(`${what} must be a positive whole number (got "${raw}").`)
  }
  return value
}

/** `3,5,8` → [3, 5, 8]. */
export function parseIdList(flag: string, raw: string): number[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length === 0) throw usageError(`${flag} needs one or more task ids, e.g. ${flag} 3,5.`)
  return parts.map((part) => parseId(`${flag} entry`, part))
}

export function parseWholeNumber(flag: string, raw: string, min = 0): number {
  const value = Number(raw)
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw usageError(
      `${flag} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ''} (got "${raw}").`,
    )
  }
  return value
}

export function parseInteger(flag: string, raw: string): number {
  return parseWholeNumber(flag, raw, Number.MIN_SAFE_INTEGER)
}

export function parseAmount(flag: string, raw: string): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw usageError(`${flag} must be a non-negative number (got "${raw}").`)
  }
  return value
}

/** One line (or block) of a command's result on stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`)
}
