import {
  type AssistantContent,
  type ImageBlock,
  type Message,
  type ReasoningBlock,
  textOf,
  type UserContent,
  userMessage,
} from '@penguin-ai/llm'
import type { ImagePart, MessagePart, NewMessage, ReasoningPart, StoredMessage } from '@penguin-ai/store'
import type { ToolDetails } from '@penguin-ai/tools'
import { repairToolPairs } from './repair.js'

/**
 * Engine messages and stored parts are the same blocks under other names; these map one onto the
 * other without loss, so a conversation resumed in a new process sends the provider exactly what
 * the first process did (reasoning signatures and encrypted items included, prompt cache intact).
 */

function imagePart(image: ImageBlock): ImagePart {
  return { type: 'image', mediaType: image.mediaType, data: image.data }
}

function imageBlock(part: ImagePart): ImageBlock {
  return { type: 'image', mediaType: part.mediaType, data: part.data }
}

/** Only the fields that are set: stored parts carry no `undefined` keys. */
function reasoningPart(block: ReasoningBlock): ReasoningPart {
  const { type: _type, ...fields } = block
  return { type: 'reasoning', ...definedOnly(fields) } as ReasoningPart
}

function reasoningBlock(part: ReasoningPart): ReasoningBlock {
  const { type: _type, ...fields } = part
  return { type: 'reasoning', ...definedOnly(fields) } as ReasoningBlock
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>
}

/**
 * An engine message as store parts. System messages are never stored: they are rebuilt each run.
 * `detailsFor` supplies a tool result's details (from its `tool.finished` event), stored beside it.
 */
export function toNewMessage(
  message: Message,
  detailsFor?: (callId: string) => ToolDetails | undefined,
): NewMessage | undefined {
  switch (message.role) {
    case 'system':
      return undefined
    case 'user': {
      const parts: MessagePart[] = message.content.map((block) =>
        block.type === 'text' ? { type: 'text', text: block.text } : imagePart(block),
      )
      if (parts.length === 0) parts.push({ type: 'text', text: '' })
      return { role: 'user', parts }
    }
    case 'assistant': {
      const parts: MessagePart[] = message.content.map((block): MessagePart => {
        if (block.type === 'text') return { type: 'text', text: block.text }
        if (block.type === 'reasoning') return reasoningPart(block)
        return { type: 'tool_call', id: block.id, name: block.name, arguments: block.arguments }
      })
      // An empty assistant turn still happened; keep it so positions stay faithful.
      if (parts.length === 0) parts.push({ type: 'text', text: '' })
      return { role: 'assistant', parts }
    }
    case 'tool': {
      const images = message.content.filter((block) => block.type === 'image').map(imagePart)
      const details = detailsFor?.(message.toolCallId)
      return {
        role: 'tool',
        parts: [
          {
            type: 'tool_result',
            toolCallId: message.toolCallId,
            name: message.name,
            content: textOf(message),
            isError: message.isError ?? false,
            ...(images.length > 0 ? { images } : {}),
            ...(details ? { details } : {}),
          },
        ],
      }
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
    messages.push(userMessage(summary.text))
    start = summary.index + 1
    const keptFrom = Math.max(0, summary.index - summary.kept)
    for (const message of stored.slice(keptFrom, summary.index)) messages.push(...fromStored(message))
  }
  for (const message of stored.slice(start)) messages.push(...fromStored(message))
  return repairToolPairs(messages)
}

function fromStored(message: StoredMessage): Message[] {
  switch (message.role) {
    case 'user': {
      if (message.parts.some((part) => part.type === 'summary')) return []
      const content = message.parts.flatMap((part): UserContent[] => {
        if (part.type === 'text') return [{ type: 'text', text: part.text }]
        if (part.type === 'image') return [imageBlock(part)]
        return []
      })
      return [{ role: 'user', content: nonEmpty(content) }]
    }
    case 'assistant': {
      const content = message.parts.flatMap((part): AssistantContent[] => {
        switch (part.type) {
          case 'text':
            return part.text ? [{ type: 'text', text: part.text }] : []
          case 'reasoning':
            return [reasoningBlock(part)]
          case 'tool_call':
            return [{ type: 'tool_call', id: part.id, name: part.name, arguments: part.arguments }]
          default:
            return []
        }
      })
      return [{ role: 'assistant', content }]
    }
    case 'tool':
      return message.parts.flatMap((part) =>
        part.type === 'tool_result'
          ? [
              {
                role: 'tool' as const,
                toolCallId: part.toolCallId,
                name: part.name,
                content: [
                  ...(part.content || !part.images?.length
                    ? [{ type: 'text' as const, text: part.content }]
                    : []),
                  ...(part.images ?? []).map(imageBlock),
                ],
                ...(part.isError ? { isError: true } : {}),
              },
            ]
          : [],
      )
  }
}

/** A user message needs at least one block: a stored one without any gets empty text. */
function nonEmpty(content: UserContent[]): UserContent[] {
  return content.length === 0 ? [{ type: 'text', text: '' }] : content
}
