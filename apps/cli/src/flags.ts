import { type ParseArgsConfig, parseArgs } from 'node:util'
import { usageError } from './cli-error.js'

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
    throw usageError(
      `${(error as Error).message.replace(/\.$/, '')}. Run "penguin ${command} --help" for usage.`,
    )
  }
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

/** The options every store-backed command (project, task, sessions, checkpoint, token) takes. */
export const STORE_FLAGS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** One line (or block) of a command's result on stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`)
}
