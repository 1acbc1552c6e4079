/**
 * Pruning, the cheap first step of compaction: old tool outputs (the bulk of a coding conversation
 * and the least needed later) are replaced by a one-line note, oldest first. Pure.
 */
import { type Message, textBlock, textOf } from '@penguin-ai/llm'

export const PRUNED_NOTE = '[older tool output elided to save context; re-run the tool if you need it]'

export function isPruned(message: Message): boolean {
  return message.role === 'tool' && message.content.length === 1 && textOf(message) === PRUNED_NOTE
}

/** How compaction measures: the whole request (system prompt and tool schemas included), one message. */
export interface RequestMeasure {
  request(messages: readonly Message[]): number
  message(message: Message): number
}

/**
 * Replaces tool outputs before index `before` (the newest turn, which is never pruned), oldest
 * first, until the request measures at most `target`. An output pruned once stays pruned, so later
 * requests share a stable prefix; one shorter than the note is left as it is. The input is not
 * modified; `pruned` counts the outputs replaced by this call.
 */
export function pruneOutputs(
  messages: readonly Message[],
  before: number,
  target: number,
  measure: RequestMeasure,
): { messages: Message[]; pruned: number } {
  let tokens = measure.request(messages)
  const result = [...messages]
  let pruned = 0
  for (let index = 0; index < before && tokens > target; index++) {
    const message = result[index]!
    if (message.role !== 'tool' || isPruned(message)) continue
    // Images go too: they are the most expensive part of an old result.
    const replacement = { ...message, content: [textBlock(PRUNED_NOTE)] }
    const saved = measure.message(message) - measure.message(replacement)
    if (saved <= 0) continue
    result[index] = replacement
    tokens -= saved
    pruned++
  }
  return { messages: pruned > 0 ? result : [...messages], pruned }
}
