import { spawnSync } from 'node:child_process'

export interface NetworkIsolation {
  /** Prepended to the command line; empty when the OS does not let us isolate. */
  prefix: string[]
  /** For reports: how candidates were cut off from the network, or why they were not. */
  description: string
}

let cached: NetworkIsolation | undefined

/**
 * Candidates run without network where the OS allows it: on Linux in a fresh network namespace
 * via `unshare`, unprivileged through a user namespace (`-r`) when the kernel permits, else as root.
 * Elsewhere (macOS, containers that forbid namespaces) they run with the network the user has,
 * and reports say so.
 */
export function networkIsolation(): NetworkIsolation {
  if (cached) return cached
  cached = probe()
  return cached
}

function probe(): NetworkIsolation {
  if (process.platform !== 'linux') {
    return { prefix: [], description: `none (no network namespaces on ${process.platform})` }
  }
  for (const flags of [['-r', '-n'], ['-n']]) {
    const result = spawnSync('unshare', [...flags, 'true'], { stdio: 'ignore', timeout: 5000 })
    if (result.status === 0)
      return { prefix: ['unshare', ...flags], description: `unshare ${flags.join(' ')}` }
  }
  return { prefix: [], description: 'none (unshare is unavailable or not permitted here)' }
}
