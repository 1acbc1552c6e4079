import { NotRegularFileError, readRegularPrefix } from '@penguin-ai/tools'
import type { z } from 'zod'
import { ConfigError } from './errors.js'
import { type Config, configSchema } from './schema.js'

/** A config file as read: its path, and its settings (none when the file does not exist). */
export interface ConfigFile {
  path: string
  exists: boolean
  config: Config
}

/** Reads and validates one config file; a missing file is an empty config, anything else wrong is a ConfigError. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  const text = await readConfigText(path)
  if (text === undefined) return { path, exists: false, config: {} }
  return { path, exists: true, config: parseConfigText(text, path) }
}

/** Config files are small; a bigger one is a mistake (or an attack on memory), not settings. */
export const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * A config file's text, undefined when it does not exist. Only a regular file is read (a
 * repository's `.penguin/config.json` may be a pipe or a link to a device: opening it must not
 * hang Penguin), and at most MAX_CONFIG_BYTES of it.
 */
export async function readConfigText(path: string): Promise<string | undefined> {
  try {
    const { bytes, truncated } = await readRegularPrefix(path, MAX_CONFIG_BYTES)
    if (truncated)
      throw new ConfigError('invalid_file', `Config file ${path} is over ${MAX_CONFIG_BYTES} bytes.`, {
        file: path,
      })
    return bytes.toString('utf8')
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    const reason =
      error instanceof NotRegularFileError
        ? `it is ${error.kind}, not a regular file`
        : (error as Error).message
    throw new ConfigError('invalid_file', `Cannot read config file ${path}: ${reason}.`, { file: path })
  }
}

/** Parses a config file's text; `path` names it in errors. */
export function parseConfigText(text: string, path: string): Config {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(
      'invalid_file',
      `Invalid config file ${path}: not valid JSON (${(error as Error).message}).`,
      { file: path },
    )
  }
  const parsed = configSchema().safeParse(json)
  if (parsed.success) return parsed.data as Config
  const first = parsed.error.issues[0]
  const problems = parsed.error.issues.map(describeIssue).join('; ')
  const key = first ? issueKey(first) : undefined
  throw new ConfigError('invalid_file', `Invalid config file ${path}: ${problems}.`, {
    file: path,
    ...(key ? { key } : {}),
  })
}

/** `allowedPaths[0]`, `budget.maxTokens`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else text += text ? `.${String(part)}` : String(part)
  }
  return text
}

function issueKey(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined)
    return keyPath([...issue.path, issue.keys[0]])
  return issue.path.length ? keyPath(issue.path) : undefined
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((name) => `"${keyPath([...issue.path, name])}"`).join(', ')
    return `unknown key ${keys}`
  }
  const key = issue.path.length ? `"${keyPath(issue.path)}"` : 'the file'
  // A record key that breaks its rule: say which rule, not just "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues[0]) return `${key}: the key ${issue.issues[0].message}`
  return `${key}: ${issue.message}`
}
