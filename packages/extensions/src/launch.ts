/**
 * The one place where programs named by extension settings are started: hook commands and stdio MCP
 * servers. Everything that spawns them asks here first for what to run.
 *
 * Programs whose settings came from a workspace (`origin: 'workspace'`: hooks and stdio MCP servers
 * from its `.penguin/config.json`, `.mcp.json`, …) run in the agent's OS sandbox (@penguin-ai/sandbox), as its commands do: a
 * repository's config is untrusted by default, and trusting it to name programs is not trusting
 * those programs with the user's secrets. The user's own (`origin: 'user'`) run as configured.
 * Both get a credential-free environment.
 *
 * A workspace's stdio MCP servers (workspace settings are read only once the user trusts it) get a
 * sandbox of their own: the agent's, with the network on and a writable npm cache of the workspace's
 * — `npx -y some-server`, the usual `.mcp.json`, has to download the server, and a server's job is
 * often the network. Secrets stay hidden, writes stay confined; hooks keep the agent's sandbox.
 */
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ExtensionOrigin } from '@penguin-ai/config'
import type { Sandbox } from '@penguin-ai/sandbox'

export interface LaunchSpec {
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
}

/** What to spawn; `release` (when set) is called once the program has exited. */
export interface Launch extends LaunchSpec {
  release?: () => Promise<void>
}

/** What kind of program is started: a hook command or a stdio MCP server. */
export type ProgramKind = 'hook' | 'mcp-server'

export type Launcher = (spec: LaunchSpec, origin: ExtensionOrigin, kind: ProgramKind) => Promise<Launch>

/** Runs every program as configured (no sandbox). */
export const launchSpec: Launcher = async (spec) => spec

/**
 * Runs workspace-configured programs in `sandbox` (the agent's, `AgentSetup.sandbox.instance`), the
 * user's own as configured. Without a sandbox (mode `off`) everything runs as configured. A sandbox
 * that cannot start throws its SandboxUnavailableError (the program then does not run).
 */
export function sandboxedLaunch(
  sandbox: Sandbox | undefined,
  options: { env?: NodeJS.ProcessEnv } = {},
): Launcher {
  if (!sandbox) return launchSpec
  let servers: Promise<{ sandbox: Sandbox; npmCache: string }> | undefined
  return async (spec, origin, kind) => {
    if (origin !== 'workspace') return spec
    if (kind === 'mcp-server') {
      servers ??= serverSandbox(sandbox, options.env ?? process.env)
      const { sandbox: inner, npmCache } = await servers
      // npm (and npx) keep their cache there, not in ~/.npm, which the sandbox does not let them write.
      return wrapIn(inner, { ...spec, env: { ...spec.env, npm_config_cache: npmCache } })
    }
    return wrapIn(sandbox, spec)
  }
}

/**
 * The sandbox of a workspace's MCP servers: the agent's with the network on and the workspace's npm
 * cache (`$XDG_CACHE_HOME/penguin/mcp-npm/<workspace hash>`, one per workspace so that no
 * workspace's servers can plant packages another's will run) writable. Its private /tmp is removed
 * when Penguin exits.
 */
async function serverSandbox(
  sandbox: Sandbox,
  env: NodeJS.ProcessEnv,
): Promise<{ sandbox: Sandbox; npmCache: string }> {
  const npmCache = mcpNpmCache(env, sandbox.roots[0]!)
  await mkdir(npmCache, { recursive: true, mode: 0o700 })
  return { sandbox: sandbox.withAccess({ network: true, writable: [npmCache] }), npmCache }
}

/** Where a workspace's sandboxed MCP servers keep npm's cache. */
export function mcpNpmCache(env: NodeJS.ProcessEnv, workspace: string): string {
  const home = resolve(env.HOME?.trim() || homedir())
  const cache = env.XDG_CACHE_HOME?.trim() || join(home, '.cache')
  const key = createHash('sha256').update(resolve(workspace)).digest('hex').slice(0, 16)
  return join(resolve(cache), 'penguin', 'mcp-npm', key)
}

async function wrapIn(sandbox: Sandbox, spec: LaunchSpec): Promise<Launch> {
  // Always a session of its own inside (stdio MCP servers are not spawned detached): no program
  // a workspace names can reach the user's terminal. Killing the outer process still ends all of
  // it (bubblewrap dies with its parent, and the PID namespace with it).
  const wrapped = await sandbox.wrap([spec.command, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    detached: false,
  })
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(wrapped.env)) if (value !== undefined) env[key] = value
  return { command: wrapped.command, args: wrapped.args, cwd: spec.cwd, env, release: wrapped.release }
}
