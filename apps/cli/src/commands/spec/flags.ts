/** Flags several commands share, each declared once (what it parses to, and its help). */
import type { FlagSpec } from './types.js'

export const SANDBOX_MODES = ['workspace-write', 'read-only', 'off'] as const

const flag = <const F extends FlagSpec>(spec: F): F => spec

export const HELP = flag({ name: 'help', short: 'h', help: 'show help' })
export const DEBUG = flag({ name: 'debug', help: 'show stack traces for errors' })
export const JSON_OUT = flag({ name: 'json', help: 'machine-readable output' })
export const DB = flag({
  name: 'db',
  value: 'FILE',
  help: 'database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db, else ~/.local/share/penguin/penguin.db)',
})
export const DATABASE = flag({
  name: 'database',
  value: 'URL',
  help: 'PostgreSQL instead of the SQLite file: postgres://user:password@host:5432/name (or PENGUIN_DATABASE_URL)',
})
export const CWD = flag({
  name: 'cwd',
  value: 'DIR',
  help: 'workspace directory (default: the current directory)',
})
export const YES = flag({ name: 'yes', short: 'y', help: 'do not ask' })
export const MODEL = flag({
  name: 'model',
  short: 'm',
  value: 'provider/model',
  help: 'model to use (or PENGUIN_MODEL / config "model")',
})
export const BASE_URL = flag({
  name: 'base-url',
  value: 'URL',
  help: "the provider's endpoint (Anthropic: the host root), or any OpenAI-compatible one",
})
export const SANDBOX = flag({
  name: 'sandbox',
  value: 'MODE',
  values: SANDBOX_MODES,
  help: 'how commands run: workspace-write (default), read-only, or off (commands with your full rights)',
})
export const NETWORK = flag({ name: 'network', help: 'let sandboxed commands use the network' })
export const MAX_ITERATIONS = flag({
  name: 'max-iterations',
  value: 'N',
  help: 'model calls per run (default 50)',
})
export const API = flag({
  name: 'api',
  value: 'WIRE',
  values: ['chat', 'responses', 'anthropic'],
  help: 'the wire to speak: chat, responses or anthropic (default: Anthropic Messages for anthropic/*, Responses for openai/* on OpenAI, else Chat Completions)',
})
export const REASONING = flag({
  name: 'reasoning',
  value: 'LEVEL',
  values: ['off', 'minimal', 'low', 'medium', 'high'],
  help: 'how hard a reasoning model thinks: off, minimal, low, medium, high (config "reasoning")',
})
export const AGENT = flag({
  name: 'agent',
  value: 'NAME',
  help: 'run as this agent: build, plan, explore, test, review, or a file (penguin agents list)',
})

/** The store-backed commands' flags (project, task, sessions, checkpoint, token, stats). */
export const STORE = [DB, JSON_OUT, DEBUG, HELP] as const

/** Flags of `run` and chat (parsed by args.ts `parseAgentArgs`, from this list). */
export const AGENT_FLAGS = [
  MODEL,
  BASE_URL,
  API,
  REASONING,
  flag({ name: 'hide-reasoning', help: "do not print the model's reasoning (shown dimmed otherwise)" }),
  AGENT,
  CWD,
  flag({ name: 'yes', short: 'y', help: 'allow what the permission rules would ask about' }),
  SANDBOX,
  NETWORK,
  MAX_ITERATIONS,
  flag({ name: 'continue', short: 'c', help: 'resume the latest session of this workspace' }),
  flag({ name: 'session', short: 's', value: 'ID', help: 'resume a session (id or unique prefix)' }),
  flag({
    name: 'db',
    value: 'FILE',
    help: 'session database (default $PENGUIN_DB or ~/.local/share/penguin/penguin.db)',
  }),
  flag({ name: 'json', help: 'one JSON event per line on stdout instead of human output (run only)' }),
  flag({
    name: 'server',
    value: 'URL',
    help: 'run on a Penguin server (or PENGUIN_SERVER); with --token T (or PENGUIN_TOKEN)',
  }),
  flag({ name: 'token', value: 'TOKEN', help: "the server's token (or PENGUIN_TOKEN)" }),
  flag({
    name: 'trace',
    value: 'FILE',
    help: "write the run's spans to FILE as JSON (run only; OTLP: OTEL_EXPORTER_OTLP_ENDPOINT)",
  }),
  DEBUG,
  HELP,
] as const

/** The agent flags that apply to runs started another way (acp, github, …), by name. */
export function agentFlags<const N extends (typeof AGENT_FLAGS)[number]['name']>(
  ...names: readonly N[]
): Extract<(typeof AGENT_FLAGS)[number], { name: N }>[] {
  return AGENT_FLAGS.filter((f): f is Extract<(typeof AGENT_FLAGS)[number], { name: N }> =>
    (names as readonly string[]).includes(f.name),
  )
}
