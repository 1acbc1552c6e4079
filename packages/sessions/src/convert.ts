import type { Message } from '@penguin-ai/llm'
import type { MessagePart, NewMessage, StoredMessage } from '@penguin-ai/store'
import { repairToolPairs } from './repair.js'

/** An engine message as store parts. System messages are never stored: they are rebuilt each run. */
export function toNewMessage(message: Message): NewMessage | undefined {
  switch (message.role) {
    case 'system':
      return undefined
    case 'user':
      return { role: 'user', parts: [{ type: 'text', text: message.content }] }
    case 'assistant': {
      const parts: MessagePart[] = []
      if (message.content) parts.push({ type: 'text', text: message.content })
      for (const call of message.toolCalls) {
        parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments })
      }
      // An empty assistant turn still happened; keep it so positions stay faithful.
      if (parts.length === 0) parts.push({ type: 'text', text: '' })
      return { role: 'assistant', parts }
    }
    case 'tool':
      return {
        role: 'tool',
        parts: [
          {
            type: 'tool_result',
            toolCallId: message.toolCallId,
            name: message.name,
            content: message.content,
            isError: message.isError ?? false,
          },
        ],
      }
  }
}

/** The summary message as the engine put it in the conversation; stored verbatim. */
export function summaryMessage(text: string, keptMessages: number): NewMessage {
  return { role: 'user', parts: [{ type: 'summary', text, keptMessages }] }
}

/**
 * The conversation to hand the engine when a session resumes: from the latest compaction summary
 * on (with the messages it kept verbatim), with every tool call paired with a result.
 */
export function toEngineHistory(stored: readonly StoredMessage[]): Message[] {
  let start = 0
  let summary: { text: string; index: number; kept: number } | undefined
  stored.forEach((message, index) => {
    for (const part of message.parts) {
      if (part.type === 'summary') summary = { text: part.text, index, kept: part.keptMessages ?? 0 }
    }
  })
  const messages: Message[] = []
  if (summary) {
    messages.push({ role: 'user', content: summary.text })
    start = summary.index + 1
    const keptFrom = Math.max(0, summary.index - summary.kept)
    for (const message of stored.slice(keptFrom, summary.index)) messages.push(...fromStored(message))
  }
  for (const message of stored.slice(start)) messages.push(...fromStored(message))
  return repairToolPairs(messages)
}

function fromStored(message: StoredMessage): Message[] {
  const text = message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('')
  switch (message.role) {
    case 'user':
      return message.parts.some((part) => part.type === 'summary') ? [] : [{ role: 'user', content: text }]
    case 'assistant':
      return [
        {
          role: 'assistant',
          content: text,
          toolCalls: message.parts.flatMap((part) =>
            part.type === 'tool_call' ? [{ id: part.id, name: part.name, arguments: part.arguments }] : [],
          ),
        },
      ]
    case 'tool':
      return message.parts.flatMap((part) =>
        part.type === 'tool_result'
          ? [
              {
                role: 'tool' as const,
                toolCallId: part.toolCallId,
                name: part.name,
                content: part.content,
                ...(part.isError ? { isError: true } : {}),
              },
            ]
          : [],
      )
  }
}
