/**
 * Splits the transcript given to the summariser into pieces that each fit one summary request.
 * Pure; a single entry bigger than a whole piece is cut to fit (head and tail kept).
 */
import { capToolResult } from '../context.js'

const MIN_CUT_CHARS = 240
/** Blank lines between entries. */
const SEPARATOR_TOKENS = 2

export function fitText(text: string, budget: number, count: (text: string) => number): string {
  let result = text
  for (let round = 0; round < 6; round++) {
    const tokens = count(result)
    if (tokens <= budget) return result
    const chars = Math.max(MIN_CUT_CHARS, Math.floor((result.length * budget * 0.9) / tokens))
    if (chars >= result.length) return result
    result = capToolResult(result, chars)
  }
  return result
}

export function chunkEntries(
  entries: readonly string[],
  budget: number,
  count: (text: string) => number,
): string[][] {
  const chunks: string[][] = []
  let current: string[] = []
  let used = 0
  for (const raw of entries) {
    const entry = fitText(raw, budget - SEPARATOR_TOKENS, count)
    const tokens = count(entry) + SEPARATOR_TOKENS
    if (current.length > 0 && used + tokens > budget) {
      chunks.push(current)
      current = []
      used = 0
    }
    current.push(entry)
    used += tokens
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
