/**
 * Config → sandbox: which mode and network commands get, what else is hidden from them, which
 * commands run outside, and the sandbox itself (or the reason it cannot start, as a ConfigError).
 */
import {
  checkSandbox,
  createSandbox,
  type Sandbox,
  type SandboxMode,
  type SandboxNetwork,
  unavailableMessage,
} from '@penguin-ai/sandbox'
import { ConfigError } from './errors.js'
import type { ResolvedConfig } from './resolve.js'
import { mergeSandbox, type SandboxConfig } from './sandbox-schema.js'

const STRICTNESS: Record<SandboxMode, number> = { off: 0, 'workspace-write': 1, 'read-only': 2 }

/** How commands run, as `prepareAgent` settled it. */
export interface SandboxSetup {
  mode: SandboxMode
  network: SandboxNetwork
  denyRead: string[]
  excludedCommands: string[]
  /** Where the mode came from: the built-in default, a config file, `PENGUIN_SANDBOX`, or flags. */
  modeFrom: 'default' | 'config' | 'environment' | 'flags'
  /** The sandbox commands run in; absent when the mode is `off`. */
  instance?: Sandbox
  /** Set when the sandbox is off because it is not supported here (nobody turned it off): say so. */
  warning?: string
}

export interface SandboxRequest {
  /** The workspace and allowed paths (real paths), in that order. */
  roots: string[]
  env: NodeJS.ProcessEnv
  /** The database this agent's sessions are stored in, hidden from commands besides the default one. */
  database?: string
}

/**
 * The effective sandbox settings. Flags win; below them the layers merge as usual, tightened by an
 * untrusted workspace's restrictions. Without a mode anywhere: `workspace-write` on Linux, `off`
 * elsewhere (with a warning). A mode that cannot start here is a ConfigError naming the cause and the
 * ways forward — never a silent fallback.
 */
export async function sandboxSetup(resolved: ResolvedConfig, request: SandboxRequest): Promise<SandboxSetup> {
  const layer = (kind: 'flags' | 'environment') =>
    resolved.layers.find((item) => item.kind === kind)?.config.sandbox
  const flags = layer('flags')
  const environment = layer('environment')
  const configured = resolved.layers
    .filter((item) => item.kind === 'user' || item.kind === 'workspace')
    .map((item) => item.config.sandbox)
    .filter((value) => value !== undefined)
    .reduce<SandboxConfig>(mergeSandbox, {})
  const restrict = resolved.restrictions.sandbox ?? {}
  const merged = resolved.config.sandbox ?? {}

  // The user's flags and environment say what they want for this run; an untrusted workspace's
  // restriction tightens only what their config files say.
  let mode: SandboxMode | undefined
  let modeFrom: SandboxSetup['modeFrom'] = 'default'
  if (flags?.mode) [mode, modeFrom] = [flags.mode, 'flags']
  else if (environment?.mode) [mode, modeFrom] = [environment.mode, 'environment']
  else {
    mode = stricter(configured.mode, restrict.mode)
    if (mode) modeFrom = 'config'
  }
  let warning: string | undefined
  if (!mode) {
    if (process.platform === 'linux') mode = 'workspace-write'
    else {
      mode = 'off'
      const support = await checkSandbox()
      warning = `commands run with your full rights: ${support.available ? 'the sandbox is off' : support.cause} (set "sandbox": { "mode": "off" } in your config to silence this)`
    }
  }
  const network = flags?.network ?? (restrict.network === false ? false : (configured.network ?? false))
  const denyRead = [...(merged.deny_read ?? []), ...(restrict.deny_read ?? [])]
  const excludedCommands = [...(merged.excluded_commands ?? [])]
  const settings = { mode, network, denyRead, excludedCommands, modeFrom, ...(warning ? { warning } : {}) }
  if (mode === 'off') return settings

  const support = await checkSandbox()
  if (!support.available)
    throw new ConfigError('sandbox', unavailableMessage(support), { key: 'sandbox.mode' })
  const env = request.database ? { ...request.env, PENGUIN_DB: request.database } : request.env
  const instance = createSandbox({ mode, roots: request.roots, network, denyRead, env })
  return { ...settings, instance }
}

function stricter(a: SandboxMode | undefined, b: SandboxMode | undefined): SandboxMode | undefined {
  if (!a) return b
  if (!b) return a
  return STRICTNESS[b] > STRICTNESS[a] ? b : a
}

/** One line for run headers: `sandbox: workspace-write, network off`, or `sandbox off` and why. */
export function describeSandbox(setup: SandboxSetup): string {
  if (setup.instance) return `sandbox: ${setup.instance.describe()}`
  return setup.warning ? `sandbox off — ${setup.warning}` : 'sandbox off — commands run with your full rights'
}
