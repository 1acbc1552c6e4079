/**
 * Where to cut the conversation: pure functions over messages. The one rule that must never break
 * is that a tool result travels with the assistant message that called it; a result without its
 * call is an invalid request for every provider.
 */
import { type Message, toolCallsOf } from '@penguin-ai/llm'
import { isSummaryMessage } from './prompt.js'

/**
 * Indices `i` (descending, starting with `messages.length`) at which `messages.slice(i)` is a valid
 * conversation on its own: it does not start with a tool result, and every tool result in it has
 * its call in it too. Keeping `slice(length)` (nothing) is always valid.
 */
export function splitPoints(messages: readonly Message[]): number[] {
  const points = [messages.length]
  // Results seen (walking back from the end) whose call has not been seen yet.
  const pending = new Set<string>()
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!
    if (message.role === 'tool') pending.add(message.toolCallId)
    else if (message.role === 'assistant') for (const call of toolCallsOf(message)) pending.delete(call.id)
    if (message.role !== 'tool' && pending.size === 0) points.push(i)
  }
  return points
}

/**
 * Where the newest turn starts: the last assistant message, with the tool results and user messages
 * after it. The model has not read those yet, so compaction never prunes or summarises them. Without
 * an assistant message the whole conversation is the newest turn (0).
 */
export function newestTurnStart(messages: readonly Message[]): number {
  let last = -1
  for (let i = messages.length - 1; i >= 0 && last < 0; i--) if (messages[i]!.role === 'assistant') last = i
  if (last < 0) return 0
  // The latest valid cut at or before it (the same index unless a result's call came earlier).
  return splitPoints(messages).find((point) => point <= last) ?? 0
}

export interface SplitOptions {
  /** At most this many assistant messages stay verbatim (the newest turn always does). */
  keepRecentTurns: number
  /** And at most this many tokens (the newest turn always stays, whatever its size). */
  keptBudget: number
  /** Tokens of one message. */
  measure(message: Message): number
}

/**
 * The index where the summarised part ends and the verbatim part begins: the earliest valid split
 * that keeps no more than `keepRecentTurns` turns and `keptBudget` tokens, and never one inside the
 * newest turn. Undefined when there is nothing worth summarising: the whole conversation is recent,
 * or everything older is already a summary.
 */
export function planSplit(messages: readonly Message[], options: SplitOptions): number | undefined {
  const newest = newestTurnStart(messages)
  let best: number | undefined
  let turns = 0
  let tokens = 0
  let cursor = messages.length
  for (const point of splitPoints(messages)) {
    for (let i = point; i < cursor; i++) {
      const message = messages[i]!
      tokens += options.measure(message)
      if (message.role === 'assistant') turns++
    }
    cursor = point
    if (point > newest) continue
    if (point < newest && (turns > options.keepRecentTurns || tokens > options.keptBudget)) break
    // Everything fits among the recent turns: there is nothing older to summarise.
    if (point === 0) return undefined
    best = point
  }
  if (best === undefined) return undefined
  const older = messages.slice(0, best)
  return older.some((message) => !isSummaryMessage(message)) ? best : undefined
}
