/**
 * What is done when a conversation is still over the ceiling after pruning and summarising: drop
 * the oldest turns kept after the summary, cut what is left before the newest turn, and only then
 * cut the newest turn's tool results (head and tail kept, with a note saying so) — never summarise
 * them, the model has not read them. As the very last resort, cut whatever is longest (a giant
 * pasted message). Pure; the run must go on rather than die of context size.
 */
import { type Message, mapText, textOf } from '@penguin-ai/llm'
import { capToolResult } from '../context.js'
import { newestTurnStart, splitPoints } from './plan.js'
import { isSummaryMessage } from './prompt.js'
import type { RequestMeasure } from './prune.js'

/** capToolResult needs room for its marker. */
const MIN_CUT_CHARS = 240
const MAX_CUT_ROUNDS = 8
/** Tokens a truncation note costs, with some slack for where the cut lands. */
const NOTE_TOKENS = 48

/** Drops the oldest turns between a leading summary and the newest turn until the request fits. */
export function dropOlderTurns(
  messages: readonly Message[],
  ceiling: number,
  measure: RequestMeasure,
): Message[] {
  let result = [...messages]
  const head = result[0] && isSummaryMessage(result[0]) ? 1 : 0
  while (measure.request(result) > ceiling) {
    const rest = result.slice(head)
    const newest = newestTurnStart(rest)
    // The oldest cut that still keeps the newest turn: splitPoints is descending, take the smallest > 0.
    const cut = splitPoints(rest)
      .filter((point) => point > 0 && point <= newest)
      .at(-1)
    if (cut === undefined) break
    result = [...result.slice(0, head), ...rest.slice(cut)]
  }
  return result
}

/** The middle of `text` cut out so it is about `maxChars` long, with a note the model can act on. */
export function truncateOutput(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const keep = Math.max(1, Math.floor((maxChars - 200) / 2))
  const omitted = text.length - keep * 2
  const note = `… [${omitted} characters cut from the middle of this output to fit the context window; read a smaller range or narrow the command to see them] …`
  return `${text.slice(0, keep)}\n${note}\n${text.slice(-keep)}`
}

/**
 * Cuts the tool results of the newest turn (from index `from`) until the request fits: the biggest
 * first, down to a common size, so a small result next to a huge one stays whole. `truncated`
 * counts the results cut.
 */
export function truncateNewest(
  messages: readonly Message[],
  from: number,
  ceiling: number,
  measure: RequestMeasure,
): { messages: Message[]; truncated: number } {
  const result = [...messages]
  const cut = new Set<number>()
  for (let round = 0; round < MAX_CUT_ROUNDS; round++) {
    const excess = measure.request(result) - ceiling
    if (excess <= 0) break
    const results = result.flatMap((message, index) =>
      index >= from && message.role === 'tool' ? [{ index, tokens: measure.message(message) }] : [],
    )
    const cap = levelFor(
      results.map((entry) => entry.tokens),
      excess + NOTE_TOKENS * Math.max(1, results.length),
    )
    let changed = false
    for (const { index, tokens } of results) {
      const message = result[index]!
      if (tokens <= cap || message.role !== 'tool') continue
      const length = textOf(message).length
      const chars = Math.max(MIN_CUT_CHARS, Math.floor((length * cap) / tokens))
      if (chars >= length) continue
      const ratio = chars / length
      const content = mapText(message.content, (text) =>
        truncateOutput(text, Math.max(MIN_CUT_CHARS, Math.floor(text.length * ratio))),
      )
      result[index] = { ...message, content }
      cut.add(index)
      changed = true
    }
    if (!changed) break
  }
  return { messages: result, truncated: cut.size }
}

/** The highest level such that cutting every size above it down to it saves at least `excess`. */
function levelFor(sizes: readonly number[], excess: number): number {
  let low = 0
  let high = Math.max(0, ...sizes)
  const saved = (level: number) => sizes.reduce((sum, size) => sum + Math.max(0, size - level), 0)
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (saved(mid) >= excess) low = mid
    else high = mid - 1
  }
  return low
}

/** Cuts the longest contents among `messages[from, to)`, whatever they are, until the request fits. */
export function cutLargest(
  messages: readonly Message[],
  ceiling: number,
  measure: RequestMeasure,
  from = 0,
  to = messages.length,
): Message[] {
  const result = [...messages]
  for (let round = 0; round < MAX_CUT_ROUNDS; round++) {
    const excess = measure.request(result) - ceiling
    if (excess <= 0) break
    let largest = -1
    let largestTokens = 0
    for (let index = from; index < to; index++) {
      const tokens = measure.message(result[index]!)
      if (tokens > largestTokens) {
        largest = index
        largestTokens = tokens
      }
    }
    const message = result[largest]
    if (!message) break
    const keep = Math.max(0, (largestTokens - excess - 16) / largestTokens)
    const length = textOf(message).length
    const chars = Math.max(MIN_CUT_CHARS, Math.floor(length * keep))
    if (chars >= length) break
    result[largest] = cutText(message, chars)
  }
  return result
}

/** The message with its text cut to about `chars` characters (each text block in proportion). */
function cutText(message: Message, chars: number): Message {
  if (message.role === 'system') return { ...message, content: capToolResult(message.content, chars) }
  const ratio = chars / Math.max(1, textOf(message).length)
  const cut = (text: string) => capToolResult(text, Math.max(MIN_CUT_CHARS, Math.floor(text.length * ratio)))
  switch (message.role) {
    case 'user':
      return { ...message, content: mapText(message.content, cut) }
    case 'assistant':
      return { ...message, content: mapText(message.content, cut) }
    case 'tool':
      return { ...message, content: mapText(message.content, cut) }
  }
}

/**
 * Brings a conversation under `ceiling`, sparing the newest turn as long as anything else can give:
 * drops older turns kept after a summary (only when `dropTurns`: a conversation without a summary
 * loses nothing silently), cuts what is left before the newest turn (the summary itself, a long
 * message), then truncates the newest turn's results, then cuts whatever is longest.
 */
export function fitCeiling(
  messages: readonly Message[],
  ceiling: number,
  measure: RequestMeasure,
  dropTurns: boolean,
): { messages: Message[]; truncated: number } {
  if (measure.request(messages) <= ceiling) return { messages: [...messages], truncated: 0 }
  const kept = dropTurns ? dropOlderTurns(messages, ceiling, measure) : [...messages]
  const newest = newestTurnStart(kept)
  const older = cutLargest(kept, ceiling, measure, 0, newest)
  const truncated = truncateNewest(older, newest, ceiling, measure)
  return { messages: cutLargest(truncated.messages, ceiling, measure), truncated: truncated.truncated }
}
