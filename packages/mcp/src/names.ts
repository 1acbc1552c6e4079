/**
 * The names MCP tools get in Penguin: `mcp__<server>__<tool>`, Claude Code's scheme, so permission
 * rules and hook matchers written for it (`mcp__github__.*`) work unchanged. Providers accept
 * `[a-zA-Z0-9_-]{1,64}`: anything else becomes `_`, and a name that is too long, or that two tools
 * would share after that, is cut and ends in a short hash of the original.
 */
import { createHash } from 'node:crypto'

export const MAX_TOOL_NAME = 64
const HASH_LENGTH = 6

export function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_')
}

function hashed(base: string, original: string): string {
  const hash = createHash('sha256').update(original).digest('hex').slice(0, HASH_LENGTH)
  return `${base.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hash}`
}

/**
 * Penguin names for one server's tools, in order. `taken` holds names already in use (other
 * servers' tools) and receives these.
 */
export function toolNames(server: string, tools: readonly string[], taken: Set<string>): string[] {
  const prefix = `mcp__${sanitize(server)}__`
  return tools.map((tool) => {
    const plain = `${prefix}${sanitize(tool)}`
    let name = plain.length > MAX_TOOL_NAME ? hashed(plain, `${server}\u0000${tool}`) : plain
    if (taken.has(name)) name = hashed(plain, `${server}\u0000${tool}`)
    // Astronomically unlikely, but a collision must never hand one tool's calls to another.
    for (let n = 2; taken.has(name); n++) name = hashed(plain, `${server}\u0000${tool}\u0000${n}`)
    taken.add(name)
    return name
  })
}

/** Whether a tool name matches one of `patterns` (`*` any run of characters, `?` one). */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => wildcard(pattern).test(name))
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`)
}
