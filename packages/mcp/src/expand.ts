/**
 * `${VAR}` and `${VAR:-default}` in MCP server settings, as Claude Code expands them. A variable
 * that is neither set nor defaulted is an error naming it: a server started with an empty token
 * fails later in a far more confusing way.
 */

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

export interface Expansion {
  text: string
  /** Variables referenced without a default that are not set. */
  missing: string[]
}

export function expandVariables(text: string, env: Record<string, string | undefined>): Expansion {
  const missing: string[] = []
  const expanded = text.replace(REFERENCE, (_whole, name: string, fallback: string | undefined) => {
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (fallback !== undefined) return fallback
    missing.push(name)
    return ''
  })
  return { text: expanded, missing }
}

/** Expands every string of a record; the missing variables of all of them are collected. */
export function expandRecord(
  record: Record<string, string> | undefined,
  env: Record<string, string | undefined>,
  missing: string[],
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(record ?? {})) {
    const expansion = expandVariables(value, env)
    missing.push(...expansion.missing)
    out[key] = expansion.text
  }
  return out
}
