/**
 * The one place where programs named by extension settings are started: hook commands and stdio MCP
 * servers. Everything that spawns them asks here first for what to run.
 *
 * Programs whose settings came from a workspace (`origin: 'workspace'`: hooks and stdio MCP servers
 * from its `.penguin/config.json`, `.mcp.json`, …) run in the agent's OS sandbox (@penguin-ai/sandbox), as its commands do: a
 * repository's config is untrusted by default, and trusting it to name programs is not trusting
 * those programs with the user's secrets. The user's own (`origin: 'user'`) run as configured.
 * Both get a credential-free environment.
 */
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

export type Launcher = (spec: LaunchSpec, origin: ExtensionOrigin) => Promise<Launch>

/** Runs every program as configured (no sandbox). */
export const launchSpec: Launcher = async (spec) => spec

/**
 * Runs workspace-configured programs in `sandbox` (the agent's, `AgentSetup.sandbox.instance`), the
 * user's own as configured. Without a sandbox (mode `off`) everything runs as configured. A sandbox
 * that cannot start throws its SandboxUnavailableError (the program then does not run).
 */
export function sandboxedLaunch(sandbox: Sandbox | undefined): Launcher {
  if (!sandbox) return launchSpec
  return async (spec, origin) => {
    if (origin !== 'workspace') return spec
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
}
