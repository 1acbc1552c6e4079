/** Conversations for the compaction tests: user turns, answers, tool calls and their results. */
import {
  assistantMessage,
  type Message,
  type ToolCall,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '@penguin-ai/llm'

export const user = (content: string): Message => userMessage(content)
export const said = (content: string): Message => assistantMessage(content)
export const calls = (...ids: string[]): Message =>
  assistantMessage(
    '',
    ids.map((id): ToolCall => ({ id, name: 'look', arguments: '{}' })),
  )
export const result = (id: string, content = `result ${id}`): Message =>
  toolResultMessage({ id, name: 'look' }, content)

/** Every tool result has its call earlier in the same list, and the list does not start with one. */
export function orphans(messages: readonly Message[]): string[] {
  const called = new Set<string>()
  const missing: string[] = []
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of toolCallsOf(message)) called.add(call.id)
    if (message.role === 'tool' && !called.has(message.toolCallId)) missing.push(message.toolCallId)
  }
  return missing
}
