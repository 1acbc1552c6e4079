import { parseArgs } from 'node:util'
import { usageError } from './cli-error.js'

/** Flags shared by `run` and chat. */
export interface AgentFlags {
  model?: string
  baseUrl?: string
  cwd?: string
  yes: boolean
  maxIterations?: number
  json: boolean
  debug: boolean
  help: boolean
}

const AGENT_OPTIONS = {
  model: { type: 'string', short: 'm' },
  'base-url': { type: 'string' },
  cwd: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'max-iterations': { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export function parseAgentArgs(
  argv: string[],
  command: string,
): { flags: AgentFlags; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof AGENT_OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: argv, options: AGENT_OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw usageError(
      `${(error as Error).message.replace(/\.$/, '')}. Run "penguin ${command} --help" for usage.`,
    )
  }
  const v = parsed.values
  const flags: AgentFlags = {
    yes: v.yes ?? false,
    json: v.json ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
  }
  if (v.model !== undefined) flags.model = nonEmpty('--model', v.model)
  if (v['base-url'] !== undefined) flags.baseUrl = parseUrl(v['base-url'])
  if (v.cwd !== undefined) flags.cwd = nonEmpty('--cwd', v.cwd)
  if (v['max-iterations'] !== undefined)
    flags.maxIterations = positiveInt('--max-iterations', v['max-iterations'])
  return { flags, positionals: parsed.positionals }
}

export function positiveInt(flag: string, raw: string): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw usageError(`${flag} must be a whole number of at least 1 (got "${raw}").`)
  }
  return value
}

function nonEmpty(flag: string, raw: string): string {
  if (!raw.trim()) throw usageError(`${flag} needs a value.`)
  return raw
}

function parseUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    return raw
  } catch {
    throw usageError(`--base-url must be an http:// or https:// URL (got "${raw}").`)
  }
}
