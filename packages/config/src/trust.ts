/**
 * Workspace trust: which workspaces the user lets configure what widens the agent's reach. Decisions
 * live in the user's own config (`trust`: real path → true / false); a decision covers the
 * directories under it and the most specific one wins. A workspace never decides for itself.
 */
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { ConfigError } from './errors.js'
import { updateJsonObject } from './json-file.js'
import { userConfigPath } from './paths.js'
import { readConfigFile } from './read.js'

export type TrustState = 'trusted' | 'declined' | 'unknown'

export interface TrustDecision {
  state: TrustState
  /** The entry of the trust list that decided (the workspace itself or a directory above it). */
  entry?: string
  /**
   * Set when the user trusted `entry` but the workspace's agent configuration was created or changed
   * since (workspace-relative paths): that trust does not cover it, so the state is `unknown` until
   * the user trusts the workspace again.
   */
  changed?: string[]
}

export interface TrustEntry {
  path: string
  trusted: boolean
}

export interface TrustOptions {
  env?: NodeJS.ProcessEnv
  /** The user config file; default userConfigPath(env). */
  userConfigPath?: string
}

/** The decision for a workspace (a real path) in a trust list. Pure. */
export function trustOf(workspace: string, list: Record<string, boolean> | undefined): TrustDecision {
  let best: string | undefined
  for (const entry of Object.keys(list ?? {})) {
    if (!isInside(entry, workspace)) continue
    if (best === undefined || entry.length > best.length) best = entry
  }
  if (best === undefined || !list) return { state: 'unknown' }
  return { state: list[best] ? 'trusted' : 'declined', entry: best }
}

/** Why a workspace's widening settings are left out, for warning lines (`state` is not `trusted`). */
export function untrustedReason(decision: TrustDecision, workspace: string): string {
  if (decision.state === 'declined') return 'you chose not to trust this workspace'
  if (decision.changed?.length && decision.entry) {
    const shown = decision.changed.slice(0, 3).join(', ')
    const more = decision.changed.length > 3 ? ` and ${decision.changed.length - 3} more` : ''
    const when = decision.entry === workspace ? 'you trusted it' : `you trusted ${decision.entry}`
    return `its agent configuration was created or changed after ${when} (${shown}${more}), so that trust does not cover it`
  }
  return 'this workspace is not trusted'
}

/** The trust list of the user config, sorted by path. */
export async function listTrust(options: TrustOptions = {}): Promise<TrustEntry[]> {
  const { config } = await readConfigFile(configPathOf(options))
  return Object.entries(config.trust ?? {})
    .map(([path, trusted]) => ({ path, trusted }))
    .sort((a, b) => a.path.localeCompare(b.path))
}

/**
 * Records that the user trusts (or declined to trust) a directory, and when: trust covers the agent
 * configuration there as it is now (see trust-changes.ts). Returns its real path.
 */
export async function setTrust(dir: string, trusted: boolean, options: TrustOptions = {}): Promise<string> {
  const workspace = await realDirectory(dir)
  await updateTrustList(
    configPathOf(options),
    (list) => {
      list[workspace] = trusted
    },
    trusted ? workspace : undefined,
  )
  return workspace
}

export interface RevokeResult {
  workspace: string
  /** Whether the user config held an entry for exactly this directory. */
  removed: boolean
  /** A directory above it that is still trusted: the revoke was recorded as an explicit `false`. */
  coveredBy?: string
}

/**
 * Takes trust back: the directory's own entry goes, and if a trusted directory above still covers it
 * an explicit `false` is recorded so that it is untrusted all the same. A directory that no longer
 * exists can still be revoked by the path it was trusted under.
 */
export async function revokeTrust(dir: string, options: TrustOptions = {}): Promise<RevokeResult> {
  const workspace = await realpath(dir).catch(() => resolve(dir))
  let removed = false
  let coveredBy: string | undefined
  await updateTrustList(configPathOf(options), (list) => {
    removed = workspace in list
    delete list[workspace]
    const remaining = trustOf(workspace, list)
    if (remaining.state === 'trusted') {
      coveredBy = remaining.entry
      list[workspace] = false
    }
  })
  return { workspace, removed, ...(coveredBy ? { coveredBy } : {}) }
}

/**
 * Changes the trust list; `trustedAt` follows it: `stamp` (the path the user trusts now) gets the
 * time of the change, since trust covers agent configuration as it is now; a path no longer trusted
 * loses its time.
 */
async function updateTrustList(
  path: string,
  change: (list: Record<string, boolean>) => void,
  stamp?: string,
): Promise<void> {
  await updateJsonObject(path, (json) => {
    const list = objectOf<boolean>(json.trust)
    const times = objectOf<string>(json.trustedAt)
    change(list)
    if (stamp !== undefined) times[stamp] = new Date().toISOString()
    for (const entry of Object.keys(times)) if (list[entry] !== true) delete times[entry]
    if (Object.keys(list).length) json.trust = list
    else delete json.trust
    if (Object.keys(times).length) json.trustedAt = times
    else delete json.trustedAt
  })
}

function objectOf<T>(value: unknown): Record<string, T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, T>) }
    : {}
}

function configPathOf(options: TrustOptions): string {
  return options.userConfigPath ?? userConfigPath(options.env)
}

/** The real path of an existing directory, or a ConfigError saying what is wrong with it. */
export async function realDirectory(dir: string): Promise<string> {
  let real: string
  try {
    real = await realpath(dir)
  } catch {
    throw new ConfigError('workspace', `${dir} does not exist. Pass an existing directory.`)
  }
  if (!(await stat(real)).isDirectory()) throw new ConfigError('workspace', `${dir} is not a directory.`)
  return real
}

function isInside(directory: string, candidate: string): boolean {
  const rel = relative(directory, candidate)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
