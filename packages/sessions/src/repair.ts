import { type Message, type ToolResultMessage, toolCallsOf, toolResultMessage } from '@penguin-ai/llm'

export const INTERRUPTED_RESULT = 'Not run: the session was interrupted before this tool call finished.'

/**
 * Makes a conversation safe to send: every assistant tool call is followed by exactly one result
 * (a missing one — the process died mid-turn — gets an "interrupted" result), and results whose
 * call is not directly before them are dropped. Providers reject either kind of mismatch.
 */
export function repairToolPairs(messages: readonly Message[]): Message[] {
  const out: Message[] = []
  let i = 0
  while (i < messages.length) {
    const message = messages[i] as Message
    i++
    if (message.role === 'tool') continue // orphaned: its call is not right before it
    out.push(message)
    if (message.role !== 'assistant') continue
    const calls = toolCallsOf(message)
    if (calls.length === 0) continue
    const results = new Map<string, ToolResultMessage>()
    while (i < messages.length && messages[i]?.role === 'tool') {
      const result = messages[i] as ToolResultMessage
      if (!results.has(result.toolCallId)) results.set(result.toolCallId, result)
      i++
    }
    for (const call of calls) {
      out.push(results.get(call.id) ?? toolResultMessage(call, INTERRUPTED_RESULT, { isError: true }))
    }
  }
  return out
}
