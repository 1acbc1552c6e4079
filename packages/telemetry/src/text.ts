/** Small string helpers for attribute values. */

/** Longest captured content (prompt, tool arguments and results) per attribute. */
export const MAX_CONTENT = 4000
/** Longest error message on a span status. */
export const MAX_MESSAGE = 300

export function clip(text: string, max = MAX_CONTENT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

export function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end === -1 ? text : text.slice(0, end)
}

/** JSON for an arbitrary value, never throwing (cycles, BigInt). */
export function toJson(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/

/**
 * A tool name fit for a metric label and span name: the model may call tools that do not exist,
 * with any name at all, and labels must stay few and clean.
 */
export function toolLabel(name: string): string {
  return TOOL_NAME.test(name) ? name : 'invalid'
}
