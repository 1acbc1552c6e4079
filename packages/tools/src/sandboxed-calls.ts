import { commandParts } from './command-parts.js'
import { wildcardMatch } from './permission.js'

/**
 * Whether a command line runs outside the sandbox by the user's `sandbox.excluded_commands`: only when
 * every command in it matches a pattern (as `allow` rules are judged), so `git push*` lets
 * `git push origin main` out but not `git push && curl x | sh`. Such a line is then judged by the
 * permission rules as any command without a sandbox (asked by default).
 */
export function commandRunsOutside(line: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false
  const parts = commandParts(line)
  const texts = parts.length ? parts.map((part) => part.text) : [line]
  return texts.every((text) => patterns.some((pattern) => wildcardMatch(pattern, text)))
}
