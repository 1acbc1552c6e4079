/**
 * Tool arguments come from the model. `[[[[…]]]]` nested a few thousand levels parses fine but
 * overflows the stack of every recursive walk after it (schema validation, `JSON.stringify` of an
 * event, redaction), so arguments nested deeper than this are refused before anything walks them.
 * No built-in tool needs more than a handful of levels.
 */
export const MAX_ARGUMENT_DEPTH = 64

/**
 * How deeply `{` and `[` nest in JSON text, ignoring brackets inside strings. A single linear scan
 * with no recursion, so it is safe on any input; malformed text just gets a best-effort count.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === 0x5c)
        i++ // backslash: skip the escaped character
      else if (char === 0x22) inString = false
    } else if (char === 0x22) inString = true
    else if (char === 0x7b || char === 0x5b) {
      depth++
      if (depth > deepest) deepest = depth
    } else if (char === 0x7d || char === 0x5d) depth--
  }
  return deepest
}

/**
 * Whether a value (already parsed, e.g. handed to `Tool.run` directly) nests objects and arrays
 * deeper than `limit`. Iterative, and stops at the first path that is too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!
    if (current === null || typeof current !== 'object' || seen.has(current)) continue
    if (depth + 1 > limit) return true
    seen.add(current)
    const children = Array.isArray(current) ? current : Object.values(current)
    for (const child of children) stack.push({ value: child, depth: depth + 1 })
  }
  return false
}

/**
 * The model's argument text as JSON, before any schema sees it: empty text is `{}`; text nested
 * deeper than MAX_ARGUMENT_DEPTH, or not JSON, is refused with a message the model can act on.
 * Built-in tools (`defineTool`) and MCP servers' tools (@penguin-ai/mcp) both parse this way.
 */
export function parseArgumentText(
  tool: string,
  raw: string,
): { ok: true; json: unknown } | { ok: false; error: string } {
  const depth = jsonNestingDepth(raw)
  if (depth > MAX_ARGUMENT_DEPTH) return { ok: false, error: nestedTooDeeply(tool, `${depth} levels`) }
  try {
    return { ok: true, json: raw.trim() === '' ? {} : JSON.parse(raw) }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      error: `The arguments for ${tool} are not valid JSON (${why}). Send a JSON object matching the tool's parameters.`,
    }
  }
}

/** The refusal of arguments nested deeper than MAX_ARGUMENT_DEPTH (`how`: "70 levels"). */
export function nestedTooDeeply(tool: string, how: string): string {
  return `The arguments for ${tool} are nested ${how} deep; at most ${MAX_ARGUMENT_DEPTH} are accepted. Send a flat JSON object matching the tool's parameters.`
}
