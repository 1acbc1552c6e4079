/**
 * The last resort when even a compacted conversation is over the limit (a summariser that ignores
 * its length limit, a giant pasted message): drop the oldest turns after the summary, then cut
 * the longest contents. Pure; the run must go on rather than die of context size.
 */
import { type Message, mapText, textOf } from '@penguin-ai/llm'
import { capToolResult } from '../context.js'
import { splitPoints } from './plan.js'
import { isSummaryMessage } from './prompt.js'

export interface LimitMeasure {
  /** The whole request with these messages (system prompt and tool schemas included). */
  request(messages: readonly Message[]): number
  message(message: Message): number
}

/** capToolResult needs room for its marker. */
const MIN_CUT_CHARS = 240
const MAX_CUT_ROUNDS = 8

export function enforceLimit(messages: readonly Message[], limit: number, measure: LimitMeasure): Message[] {
  let result = [...messages]
  const head = result[0] && isSummaryMessage(result[0]) ? 1 : 0
  while (measure.request(result) > limit) {
    const rest = result.slice(head)
    // The oldest cut that still leaves the last turn: splitPoints is descending, so take the smallest > 0.
    const cut = splitPoints(rest)
      .filter((point) => point > 0 && point < rest.length)
      .at(-1)
    if (cut === undefined) break
    result = [...result.slice(0, head), ...rest.slice(cut)]
  }
  for (let round = 0; round < MAX_CUT_ROUNDS; round++) {
    const excess = measure.request(result) - limit
    if (excess <= 0) break
    let largest = -1
    let largestTokens = 0
    result.forEach((message, index) => {
      const tokens = measure.message(message)
      if (tokens > largestTokens) {
        largest = index
        largestTokens = tokens
      }
    })
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
