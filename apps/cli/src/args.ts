import { parseArgs } from 'node:util'
import { flagError, usageError } from './cli-error.js'
import { AGENT_FLAGS, API, REASONING, SANDBOX_MODES } from './commands/spec/flags.js'
import { optionsOf } from './commands/spec/types.js'

/** `--sandbox` values (the same as config `sandbox.mode`). */
export { SANDBOX_MODES }
export type SandboxModeFlag = (typeof SANDBOX_MODES)[number]

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
  /** Resume the latest session of the workspace. */
  continue: boolean
  /** Resume this session (id or unique prefix). */
  session?: string
  /** The database file (else PENGUIN_DB, else the default). */
  db?: string
  /** A Penguin server to run on instead of this machine (else PENGUIN_SERVER). */
  server?: string
  /** Its bearer token (else PENGUIN_TOKEN). */
  token?: string
  /** `penguin run --trace FILE`: write the run's spans there as JSON. */
  trace?: string
  /** `--api chat|responses|anthropic`: the wire to speak to the model's endpoint. */
  api?: WireFlag
  /** `--reasoning off|minimal|low|medium|high`. */
  reasoning?: ReasoningFlag
  /** `--hide-reasoning`: do not print the model's reasoning. */
  hideReasoning: boolean
  /** `--sandbox MODE`: how commands run for this run (config `sandbox.mode`). */
  sandbox?: SandboxModeFlag
  /** `--network`: commands in the sandbox may use the network for this run. */
  network?: boolean
  /** `--agent NAME`: run as this agent (built-in or an agent file; see `penguin agents list`). */
  agent?: string
}

export const WIRE_FLAGS = API.values
export type WireFlag = (typeof WIRE_FLAGS)[number]
export const REASONING_FLAGS = REASONING.values
export type ReasoningFlag = (typeof REASONING_FLAGS)[number]

/** parseArgs options of run and chat: `AGENT_FLAGS` of the command table, which also gives their help. */
export const AGENT_OPTIONS = optionsOf(AGENT_FLAGS)

type ParsedAgentArgs = ReturnType<
  typeof parseArgs<{ options: typeof AGENT_OPTIONS; allowPositionals: true; strict: true }>
>

/** The agent flags' values as parsed (any subset: `penguin github` takes some of them). */
export type AgentValues = Partial<ParsedAgentArgs['values']>

export function parseAgentArgs(
  argv: string[],
  command: string,
): { flags: AgentFlags; positionals: string[] } {
  let parsed: ParsedAgentArgs
  try {
    parsed = parseArgs({ args: argv, options: AGENT_OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw flagError(error, command)
  }
  return { flags: agentFlagsFrom(parsed.values, command), positionals: parsed.positionals }
}

/** Parsed agent flags, checked, as AgentFlags (every command that runs the agent goes through here). */
export function agentFlagsFrom(v: AgentValues, command: string): AgentFlags {
  const flags: AgentFlags = {
    yes: v.yes ?? false,
    json: v.json ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
    continue: v.continue ?? false,
    hideReasoning: v['hide-reasoning'] ?? false,
  }
  if (v.api !== undefined) flags.api = oneOf('--api', v.api, WIRE_FLAGS)
  if (v.reasoning !== undefined) flags.reasoning = oneOf('--reasoning', v.reasoning, REASONING_FLAGS)
  if (v.session !== undefined) flags.session = nonEmpty('--session', v.session)
  if (v.db !== undefined) flags.db = nonEmpty('--db', v.db)
  if (flags.continue && flags.session) throw usageError('Use --continue or --session ID, not both.')
  if (v.model !== undefined) flags.model = nonEmpty('--model', v.model)
  if (v['base-url'] !== undefined) flags.baseUrl = parseUrl(v['base-url'])
  if (v.server !== undefined) flags.server = parseUrl(v.server, '--server')
  if (v.token !== undefined) flags.token = nonEmpty('--token', v.token)
  if (v.trace !== undefined) {
    if (command !== 'run') throw usageError('--trace FILE is an option of penguin run.')
    if (flags.server)
      throw usageError('--trace traces runs on this machine; it cannot be used with --server.')
    flags.trace = nonEmpty('--trace', v.trace)
  }
  if (v.cwd !== undefined) flags.cwd = nonEmpty('--cwd', v.cwd)
  if (v.sandbox !== undefined) flags.sandbox = parseSandboxMode(v.sandbox)
  if (v.network) flags.network = true
  if (v.agent !== undefined) {
    flags.agent = nonEmpty('--agent', v.agent)
    if (flags.server) throw usageError('--agent runs on this machine; it cannot be used with --server yet.')
  }
  if (v['max-iterations'] !== undefined)
    flags.maxIterations = positiveInt('--max-iterations', v['max-iterations'])
  return flags
}

export function parseSandboxMode(raw: string): SandboxModeFlag {
  const mode = SANDBOX_MODES.find((candidate) => candidate === raw.trim())
  if (!mode) throw usageError(`--sandbox must be read-only, workspace-write or off (got "${raw}").`)
  return mode
}

export function positiveInt(flag: string, raw: string): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw usageError(`${flag} must be a whole number of at least 1 (got "${raw}").`)
  }
  return value
}

function oneOf<const T extends readonly string[]>(flag: string, raw: string, values: T): T[number] {
  const value = raw.trim().toLowerCase()
  if (!values.includes(value)) throw usageError(`${flag} must be one of ${values.join(', ')} (got "${raw}").`)
  return value as T[number]
}

function nonEmpty(flag: string, raw: string): string {
  if (!raw.trim()) throw usageError(`${flag} needs a value.`)
  return raw
}

export function parseUrl(raw: string, flag = '--base-url'): string {
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    return raw
  } catch {
    throw usageError(`${flag} must be an http:// or https:// URL (got "${raw}").`)
  }
}
