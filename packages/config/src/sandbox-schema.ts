/** The `sandbox` config key: its schema, how layers merge it, what an untrusted workspace may set. */
import { SandboxModeSchema, SandboxNetworkSchema } from '@penguin-ai/sandbox'
import { z } from 'zod'
import { lazySchema } from './lazy-schema.js'

export const sandboxConfigSchema = lazySchema(() =>
  z.strictObject({
    /** `read-only`, `workspace-write` (default where the sandbox works) or `off`. */
    mode: SandboxModeSchema.optional(),
    /** `false` (default), `true`, or the domains reachable through the filtering proxy. */
    network: SandboxNetworkSchema.optional(),
    /** More paths and globs never readable inside: `~/.kube`, `/etc/secrets`, `.env`, `**\/*.pem`. */
    deny_read: z.array(z.string().min(1)).optional(),
    /** Command patterns (as in permission rules) that run outside the sandbox, asked about as such. */
    excluded_commands: z.array(z.string().min(1)).optional(),
  }),
)
export type SandboxConfig = z.infer<ReturnType<typeof sandboxConfigSchema>>

/** Mode and network: the upper layer replaces; `deny_read` and `excluded_commands` accumulate. */
export function mergeSandbox(below: SandboxConfig, above: SandboxConfig): SandboxConfig {
  const merged: SandboxConfig = { ...below, ...above }
  const denyRead = [...(below.deny_read ?? []), ...(above.deny_read ?? [])]
  const excluded = [...(below.excluded_commands ?? []), ...(above.excluded_commands ?? [])]
  if (denyRead.length) merged.deny_read = denyRead
  if (excluded.length) merged.excluded_commands = excluded
  return merged
}

/**
 * From a workspace the user has not trusted, only what tightens applies (as a restriction): a mode
 * other than `off`, `network: false`, `deny_read`. Turning the sandbox off, opening the network and
 * excluding commands widen what commands may do.
 */
export function splitSandbox(value: SandboxConfig): { restrict?: SandboxConfig; dropped?: string } {
  const restrict: SandboxConfig = {}
  const dropped: string[] = []
  if (value.mode === 'off') dropped.push('sandbox.mode "off"')
  else if (value.mode) restrict.mode = value.mode
  if (value.network === false) restrict.network = false
  else if (value.network !== undefined) dropped.push('sandbox.network')
  if (value.deny_read?.length) restrict.deny_read = value.deny_read
  if (value.excluded_commands?.length) dropped.push('sandbox.excluded_commands')
  return {
    ...(Object.keys(restrict).length ? { restrict } : {}),
    ...(dropped.length ? { dropped: dropped.join(', ') } : {}),
  }
}
