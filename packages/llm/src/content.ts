/**
 * Small pure helpers over content blocks, so callers read and build messages without re-deriving
 * the same loops: the text of a message, its tool calls, a user prompt, a tool result.
 */
import type {
  AssistantContent,
  AssistantMessage,
  ImageBlock,
  Message,
  ReasoningBlock,
  TextBlock,
  ToolCall,
  ToolCallBlock,
  ToolResultContent,
  ToolResultMessage,
  UserContent,
  UserMessage,
} from './types.js'

export function textBlock(text: string): TextBlock {
  return { type: 'text', text }
}

/** The text of a message or block list: its text blocks joined (reasoning and images left out). */
export function textOf(source: Message | readonly { type: string; text?: string }[]): string {
  if (!Array.isArray(source)) {
    const message = source as Message
    if (message.role === 'system') return message.content
    return textOf(message.content)
  }
  let text = ''
  for (const block of source) if (block.type === 'text') text += block.text ?? ''
  return text
}

/** The tool calls of an assistant message, in order. */
export function toolCallsOf(message: AssistantMessage): ToolCallBlock[] {
  const calls: ToolCallBlock[] = []
  for (const block of message.content) if (block.type === 'tool_call') calls.push(block)
  return calls
}

export function hasToolCalls(message: Message): boolean {
  return message.role === 'assistant' && message.content.some((block) => block.type === 'tool_call')
}

/** The reasoning blocks of an assistant message, in order. */
export function reasoningOf(message: AssistantMessage): ReasoningBlock[] {
  return message.content.filter((block): block is ReasoningBlock => block.type === 'reasoning')
}

/** The images of a message's content. */
export function imagesOf(message: Message): ImageBlock[] {
  if (message.role === 'system') return []
  return (message.content as readonly { type: string }[]).filter(
    (block): block is ImageBlock => block.type === 'image',
  )
}

/** A user message: a prompt, optionally with images after it. */
export function userMessage(text: string, images: readonly ImageBlock[] = []): UserMessage {
  const content: UserContent[] = text || images.length === 0 ? [textBlock(text)] : []
  content.push(...images)
  return { role: 'user', content }
}

/** An assistant message from text and tool calls (the shape of a turn without reasoning). */
export function assistantMessage(text: string, calls: readonly ToolCall[] = []): AssistantMessage {
  const content: AssistantContent[] = text ? [textBlock(text)] : []
  for (const call of calls)
    content.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments })
  return { role: 'assistant', content }
}

/**
 * A tool result. Normalised so it is stored and re-sent identically: one text block (when there is
 * text) followed by any images.
 */
export function toolResultMessage(
  call: { id: string; name: string },
  output: string,
  options: { isError?: boolean; images?: readonly ImageBlock[] } = {},
): ToolResultMessage {
  const content: ToolResultContent[] = []
  if (output || !options.images?.length) content.push(textBlock(output))
  if (options.images) content.push(...options.images)
  return {
    role: 'tool',
    toolCallId: call.id,
    name: call.name,
    content,
    ...(options.isError ? { isError: true } : {}),
  }
}

/** A copy of `blocks` with every text block's text passed through `map` (elision, truncation). */
export function mapText<T extends { type: string }>(
  blocks: readonly T[],
  map: (text: string) => string,
): T[] {
  return blocks.map((block) =>
    block.type === 'text' ? ({ ...block, text: map((block as unknown as TextBlock).text) } as T) : block,
  )
}
