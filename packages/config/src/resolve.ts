/**
 * Layering: the user's config, then the workspace's (filtered by trust), then the environment, then
 * flags. Later layers win key by key, each key combined as keys.ts says.
 */
import { SandboxModeSchema } from '@penguin-ai/sandbox'
import { ConfigError } from './errors.js'
import { CONFIG_KEYS, type ConfigKey, type ConfigKeyName } from './keys.js'
import { userConfigPath, workspaceConfigPath } from './paths.js'
import { type ConfigFile, readConfigFile } from './read.js'
import type { Config } from './schema.js'
import { realDirectory, type TrustDecision, untrustedReason } from './trust.js'
import { workspaceTrust } from './trust-changes.js'

export interface ConfigRequest {
  /** The workspace directory; resolved to its real path. */
  workspace: string
  /** Where `HOME` / `XDG_CONFIG_HOME`, `PENGUIN_MODEL` and `PENGUIN_BASE_URL` are read. Default process.env. */
  env?: NodeJS.ProcessEnv
  /** The top layer: the user's flags, or what a server sets for this session. Trusted. */
  flags?: Config
  /** The user config file; default userConfigPath(env). */
  userConfigPath?: string
}

/** One layer as it was applied: where it came from and what it set. */
export interface ConfigLayer {
  /** A file path, `environment` or `flags`. */
  source: string
  kind: 'user' | 'workspace' | 'environment' | 'flags'
  config: Config
}

export interface ResolvedConfig {
  /** What applies, all layers merged. */
  config: Config
  /**
   * What an untrusted workspace set that can only tighten (its deny and ask rules, its
   * `maxIterations`): applied as restrictions, which make a call stricter and a limit lower, never
   * looser or higher.
   */
  restrictions: Config
  /** The workspace's real path. */
  workspace: string
  trust: TrustDecision
  /** Settings of the workspace config left out because the workspace is not trusted. */
  ignored: string[]
  /** The layers that applied, lowest first (the workspace one after the trust filter). */
  layers: ConfigLayer[]
  files: { user: ConfigFile; workspace: ConfigFile }
}

/** Reads and merges every layer for a workspace. Throws ConfigError for a bad file or variable. */
export async function resolveConfig(request: ConfigRequest): Promise<ResolvedConfig> {
  const env = request.env ?? process.env
  const workspace = await realDirectory(request.workspace)
  const [user, local] = await Promise.all([
    readConfigFile(request.userConfigPath ?? userConfigPath(env)),
    readConfigFile(workspaceConfigPath(workspace)),
  ])
  const trust = await workspaceTrust(workspace, user.config)
  const filtered = filterWorkspace(local.config, trust.state === 'trusted')
  const layers: ConfigLayer[] = [
    { source: user.path, kind: 'user', config: user.config },
    { source: local.path, kind: 'workspace', config: filtered.applied },
    { source: 'environment', kind: 'environment', config: environmentLayer(env) },
    { source: 'flags', kind: 'flags', config: request.flags ?? {} },
  ]
  return {
    config: mergeLayers(layers.map((layer) => layer.config)),
    restrictions: filtered.restrictions,
    workspace,
    trust,
    ignored: filtered.ignored,
    layers,
    files: { user, workspace: local },
  }
}

/** Merges configs, lowest first, each key as its table entry says. Pure. */
export function mergeLayers(configs: readonly Config[]): Config {
  const merged: Record<string, unknown> = {}
  for (const config of configs) {
    for (const [name, value] of Object.entries(config)) {
      if (value === undefined) continue
      const spec = CONFIG_KEYS[name as ConfigKeyName] as ConfigKey<unknown>
      const below = merged[name]
      merged[name] = below !== undefined && spec.merge ? spec.merge(below, value) : value
    }
  }
  return merged as Config
}

/**
 * What of a workspace config applies: everything when trusted (but never the user-only keys);
 * otherwise only what cannot widen, with tightening rules set apart as restrictions. Pure.
 */
export function filterWorkspace(
  config: Config,
  trusted: boolean,
): { applied: Config; restrictions: Config; ignored: string[] } {
  const applied: Record<string, unknown> = {}
  const restrictions: Record<string, unknown> = {}
  const ignored: string[] = []
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined) continue
    const rule = (CONFIG_KEYS[name as ConfigKeyName] as ConfigKey<unknown>).untrusted
    if (rule === 'user-only') ignored.push(name)
    else if (trusted || rule === 'apply') applied[name] = value
    else if (rule === 'ignore') ignored.push(name)
    else if (rule === 'lower') restrictions[name] = value
    else {
      const split = rule(value)
      if (split.restrict !== undefined) restrictions[name] = split.restrict
      if (split.dropped) ignored.push(split.dropped)
    }
  }
  return { applied: applied as Config, restrictions: restrictions as Config, ignored }
}

/**
 * `PENGUIN_MODEL`, `PENGUIN_BASE_URL` and `PENGUIN_SANDBOX` (the sandbox mode, e.g. `off` in a
 * container that cannot create namespaces), checked like the keys they set.
 */
function environmentLayer(env: NodeJS.ProcessEnv): Config {
  const layer: Record<string, unknown> = {}
  const sandbox = env.PENGUIN_SANDBOX?.trim()
  if (sandbox) {
    const parsed = SandboxModeSchema.safeParse(sandbox)
    if (!parsed.success) {
      throw new ConfigError(
        'invalid_value',
        `PENGUIN_SANDBOX=${sandbox} is not usable: use read-only, workspace-write or off.`,
        { key: 'PENGUIN_SANDBOX' },
      )
    }
    layer.sandbox = { mode: parsed.data }
  }
  const variables = { PENGUIN_MODEL: 'model', PENGUIN_BASE_URL: 'baseUrl' } as const
  for (const [variable, name] of Object.entries(variables)) {
    const raw = env[variable]?.trim()
    if (!raw) continue
    const parsed = (CONFIG_KEYS[name].schema as ConfigKey<unknown>['schema']).safeParse(raw)
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'invalid'
      throw new ConfigError('invalid_value', `${variable}=${raw} is not usable: ${problem}.`, {
        key: variable,
      })
    }
    layer[name] = parsed.data
  }
  return layer as Config
}

/**
 * The one warning line for what an untrusted workspace tried to set, or undefined when nothing was
 * left out: the config keys (and the file), the workspace's extension files (`files`, from
 * `extensionSettings(…).ignored`), why, and how to trust the workspace.
 */
export function ignoredWarning(resolved: ResolvedConfig, files: readonly string[] = []): string | undefined {
  const file = resolved.files.workspace.path
  const keys = resolved.ignored.join(', ')
  if (resolved.trust.state === 'trusted') {
    return keys
      ? `ignoring ${keys} in ${file}: only your own config (${resolved.files.user.path}) can set that.`
      : undefined
  }
  const left = [
    ...(keys ? [`${keys} in ${file}`] : []),
    ...(files.length ? [`${files.join(', ')} in ${resolved.workspace}`] : []),
  ]
  if (!left.length) return undefined
  const why = untrustedReason(resolved.trust, resolved.workspace)
  return `ignoring ${left.join(' and ')}: ${why} (trust it with: penguin trust ${shellQuote(resolved.workspace)}).`
}

/** Where a key of the merged config came from: the last layer that set it. */
export function sourceOf(resolved: ResolvedConfig, name: ConfigKeyName): ConfigLayer | undefined {
  return [...resolved.layers].reverse().find((layer) => layer.config[name] !== undefined)
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}
