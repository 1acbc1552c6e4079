/**
 * The one place where programs named by extension settings are started: hook commands and stdio MCP
 * servers. Everything that spawns them asks here first for what to run.
 *
 * SANDBOX SEAM: `@penguin-ai/sandbox` (issue 15) is being built concurrently. Once it lands,
 * programs whose settings came from a workspace (`origin: 'workspace'`) should be wrapped here
 * (`sandbox.wrap(argv, { cwd })` → `{ command, args }`); the user's own (`origin: 'user'`) run as
 * configured. Until then both run as configured, with a credential-free environment.
 */
import type { ExtensionOrigin } from '@penguin-ai/config'

export interface LaunchSpec {
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
}

export type Launcher = (spec: LaunchSpec, origin: ExtensionOrigin) => Promise<LaunchSpec>

/** What to run for `spec`: today the spec itself (see the seam note above). */
export const launchSpec: Launcher = async (spec) => spec
