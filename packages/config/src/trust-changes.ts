/**
 * Trust a directory gives the directories under it covers their agent configuration as it was when
 * the user gave it. What was created or changed there since — by a command an agent ran, which the
 * sandbox lets write anywhere in the workspace below its root (`sub/.penguin/config.json`,
 * `pkg/.mcp.json`, read once Penguin runs in `sub/` or `pkg/` under a trusted directory), or by a
 * `git pull` — is not covered: that workspace counts as not trusted until the user trusts it. Judged
 * by the files' change times (ctime), which no unprivileged process can set back, against the time
 * the trust was recorded. The directory the user trusted itself is not judged so: its agent
 * configuration is the user's to edit and pull, the sandbox keeps commands from writing it (read-only
 * at the root) and the file tools ask an explicit yes.
 */
import type { Dirent, Stats } from 'node:fs'
import { lstat, readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { AGENT_CONFIG_NAMES } from '@penguin-ai/sandbox/agent-config'
import { WORKSPACE_AGENT_DIRS } from './agents/load.js'
import { userConfigPath } from './paths.js'
import { readConfigFile } from './read.js'
import type { Config } from './schema.js'
import { realDirectory, setTrust, type TrustDecision, trustOf } from './trust.js'

/** Files Penguin reads from a workspace once it is trusted. */
const TRUSTED_FILES = ['.penguin/config.json', '.mcp.json', 'opencode.json', 'opencode.jsonc']

/** Directories whose files Penguin loads from a trusted workspace; their files are checked at any depth. */
const TRUSTED_DIRECTORIES = ['.penguin/plugins', '.penguin/tools', ...WORKSPACE_AGENT_DIRS]

/**
 * Directories whose own change time counts too (an entry added, removed or renamed there, or the
 * directory itself renamed into place). Not `.penguin/plugins` and `.penguin/tools`, where Penguin
 * compiles TypeScript files next to their source; nor `.claude/`, which Claude Code writes.
 */
const WATCHED_DIRECTORIES = [
  '.penguin',
  '.penguin/agents',
  '.claude/agents',
  '.opencode/agent',
  '.opencode/agents',
]

/** A bound on the files looked at; past it the directory counts as changed. */
const MAX_ENTRIES = 2000

/** The compiled copy of a TypeScript plugin or tool, written and removed again by Penguin. */
const COMPILED = /^\..+\.[0-9a-f]{10}\.penguin\.mjs$/

/**
 * The trust decision for a workspace. Trusted through a directory above it, its agent configuration
 * is checked against the time that directory was trusted (`trustedAt`; an entry without a time
 * covers none below it). Trusted itself, it is trusted as it is.
 */
export async function workspaceTrust(workspace: string, user: Config): Promise<TrustDecision> {
  const decision = trustOf(workspace, user.trust)
  if (decision.state !== 'trusted' || decision.entry === undefined) return decision
  if (relative(decision.entry, workspace) === '') return decision
  const at = user.trustedAt?.[decision.entry]
  const since = at === undefined ? Number.NEGATIVE_INFINITY : Date.parse(at)
  const changed = await agentConfigChangedSince(workspace, since)
  return changed.length ? { state: 'unknown', entry: decision.entry, changed } : decision
}

/**
 * Runs a change the user makes with Penguin's own command to a workspace's agent configuration
 * (`penguin mcp add --scope project`) without costing the workspace its trust: when the workspace
 * was trusted, with nothing changed since, before the change, its trust is recorded again after it.
 */
export async function keepingTrust<T>(
  dir: string,
  env: NodeJS.ProcessEnv | undefined,
  change: () => Promise<T>,
): Promise<T> {
  const workspace = await realDirectory(dir)
  const { config } = await readConfigFile(userConfigPath(env))
  const before = await workspaceTrust(workspace, config)
  const result = await change()
  if (before.state === 'trusted') await setTrust(workspace, true, env ? { env } : {})
  return result
}

/** Workspace-relative paths of agent configuration created or changed after `since` (ms). */
export async function agentConfigChangedSince(workspace: string, since: number): Promise<string[]> {
  const changed = new Set<string>()
  const budget = { left: MAX_ENTRIES }
  // Whole milliseconds, as the trust time is recorded: a file written in the millisecond the trust
  // was given counts as before it.
  const newer = (info: Stats | undefined) => info !== undefined && Math.floor(info.ctimeMs) > since
  for (const name of [...TRUSTED_FILES, ...WATCHED_DIRECTORIES]) {
    const path = join(workspace, name)
    if (newer(await changeOf(path))) changed.add(name)
  }
  for (const name of TRUSTED_DIRECTORIES) {
    await walk(join(workspace, name), 0, budget, (path, info) => {
      if (newer(info)) changed.add(relative(workspace, path))
    })
    if (budget.left < 0) {
      changed.add(`${name}/ (too many files to check)`)
      break
    }
  }
  return [...changed].sort()
}

/** The later of a path's own change and, for a symlink, its target's; undefined when missing. */
async function changeOf(path: string): Promise<Stats | undefined> {
  const own = await lstat(path).catch(() => undefined)
  if (!own?.isSymbolicLink()) return own
  const target = await stat(path).catch(() => undefined)
  return target && target.ctimeMs > own.ctimeMs ? target : own
}

async function walk(
  dir: string,
  depth: number,
  budget: { left: number },
  visit: (path: string, info: Stats) => void,
): Promise<void> {
  if (depth > 8) return
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  for (const name of names) {
    if (COMPILED.test(name)) continue
    if (--budget.left < 0) return
    const path = join(dir, name)
    const info = await changeOf(path)
    if (!info) continue
    visit(path, info)
    const isDir = info.isDirectory() || (await stat(path).catch(() => undefined))?.isDirectory()
    if (isDir) await walk(path, depth + 1, budget, visit)
  }
}

/** Directories not searched for nested agent configuration: nobody runs an agent inside them. */
const NOT_SEARCHED = new Set(['.git', 'node_modules'])

/**
 * Agent configuration below `workspace` (not its own), as workspace-relative paths (`sub/.penguin/`,
 * `pkg/.mcp.json`): what trusting `workspace` also covers, for the user to review. Looks at up to
 * `limit` directories; `complete` is false when it stopped before the end.
 */
export async function nestedAgentConfig(
  workspace: string,
  limit = 20_000,
): Promise<{ paths: string[]; complete: boolean }> {
  const paths: string[] = []
  const queue: string[] = [workspace]
  let seen = 0
  while (queue.length) {
    const dir = queue.shift() as string
    if (++seen > limit) return { paths: paths.sort(), complete: false }
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (dir !== workspace && AGENT_CONFIG_NAMES.includes(entry.name)) {
        paths.push(`${relative(workspace, path)}${entry.isDirectory() ? '/' : ''}`)
      } else if (
        entry.isDirectory() &&
        !NOT_SEARCHED.has(entry.name) &&
        !AGENT_CONFIG_NAMES.includes(entry.name)
      ) {
        queue.push(path)
      }
    }
  }
  return { paths: paths.sort(), complete: true }
}
