import { MAX_IMAGE_TOKENS, type Message, type ToolSpec, textBlock, textOf } from '@penguin-ai/llm'

/**
 * Keeps requests inside the model's context window. This is the cheap, always-on layer: huge tool
 * outputs are cut before they are stored, and when the conversation nears the window the oldest tool
 * outputs are elided first (they are the bulk of a coding conversation and the least needed later).
 */

/** Hard cap on one tool result as stored in the conversation (tools cap themselves more tightly). */
export const MAX_TOOL_RESULT_CHARS = 60_000

export const ELIDED_NOTE = '[older tool output elided to save context; re-run the tool if you need it]'

/** A deliberately pessimistic estimate (about 3.5 characters per token) so we elide early, not late. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5)
}

export function estimateMessageTokens(message: Message): number {
  if (message.role === 'system') return estimateTokens(message.content) + 4
  let text = ''
  let images = 0
  for (const block of message.content) {
    if (block.type === 'text' || block.type === 'reasoning') text += block.text
    else if (block.type === 'tool_call') text += block.name + block.arguments
    else images++
  }
  // A few tokens of framing per message.
  return estimateTokens(text) + images * MAX_IMAGE_TOKENS + 4
}

export function estimateRequestTokens(messages: Message[], tools: ToolSpec[]): number {
  let total = 0
  for (const message of messages) total += estimateMessageTokens(message)
  for (const tool of tools)
    total += estimateTokens(tool.name + tool.description + JSON.stringify(tool.parameters))
  return total
}

export function capToolResult(output: string, max = MAX_TOOL_RESULT_CHARS): string {
  if (output.length <= max) return output
  const keep = Math.floor((max - 120) / 2)
  const omitted = output.length - keep * 2
  return `${output.slice(0, keep)}\n… [${omitted} characters omitted] …\n${output.slice(-keep)}`
}

function isElided(message: Message): boolean {
  return message.role === 'tool' && message.content.length === 1 && textOf(message) === ELIDED_NOTE
}

/** How `fitToWindow` measures; a `TokenCounter` from `@penguin-ai/llm` is one. */
export interface MessageMeasure {
  countMessage(message: Message): number
  countMessages(messages: readonly Message[], tools?: readonly ToolSpec[]): number
}

/** The plain character estimate, for callers without a model's token counter. */
export const ESTIMATE_MEASURE: MessageMeasure = {
  countMessage: estimateMessageTokens,
  countMessages: (messages, tools = []) => estimateRequestTokens([...messages], [...tools]),
}

/**
 * Returns messages that fit `budget` tokens, eliding tool outputs oldest first. The most recent
 * `keepRecent` tool results are never elided, so the model always sees what it just did. The input
 * array is not modified; `elided` counts what was dropped. `measure` defaults to the estimate.
 */
export function fitToWindow(
  messages: Message[],
  tools: ToolSpec[],
  budget: number,
  keepRecent = 2,
  measure: MessageMeasure = ESTIMATE_MEASURE,
): { messages: Message[]; elided: number; tokens: number } {
  let tokens = measure.countMessages(messages, tools)
  if (tokens <= budget) return { messages, elided: 0, tokens }

  const result = messages.slice()
  const toolIndexes: number[] = []
  result.forEach((message, index) => {
    if (message.role === 'tool') toolIndexes.push(index)
  })
  const candidates = toolIndexes.slice(0, Math.max(0, toolIndexes.length - keepRecent))
  let elided = 0
  for (const index of candidates) {
    if (tokens <= budget) break
    const message = result[index]
    if (message?.role !== 'tool' || isElided(message)) continue
    const before = measure.countMessage(message)
    // Images go too: they are the most expensive part of an old result.
    const replacement = { ...message, content: [textBlock(ELIDED_NOTE)] }
    result[index] = replacement
    tokens -= before - measure.countMessage(replacement)
    elided++
  }
  // Per-message counts are rounded; the whole request is measured again for an exact figure.
  if (elided > 0) tokens = measure.countMessages(result, tools)
  return { messages: result, elided, tokens }
}

/** How many tokens of conversation a request may carry: the window minus room for the answer. */
export function inputBudget(contextWindow: number, maxOutputTokens: number, threshold = 0.9): number {
  const reserve = Math.min(maxOutputTokens, Math.floor(contextWindow / 4))
  return Math.max(1024, Math.floor((contextWindow - reserve) * threshold))
}
