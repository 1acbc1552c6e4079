/** Stored messages → chat items (tool calls joined with their results by call id). Pure. */
import type { Message } from '@penguin-ai/sdk'
import type { ChatItem, ToolItem } from './chat-types.js'

export function itemsFromMessages(messages: readonly Message[]): ChatItem[] {
  const items: ChatItem[] = []
  const calls = new Map<string, number>()
  for (const message of messages) {
    message.parts.forEach((part, index) => {
      const key = `m${message.id}.${index}`
      switch (part.type) {
        case 'text':
          if (part.text.trim() === '') return
          items.push({ kind: message.role === 'user' ? 'user' : 'assistant', key, text: part.text })
          return
        case 'reasoning':
          // Hidden reasoning (redacted or encrypted only) has nothing to show.
          if (part.text.trim() !== '') items.push({ kind: 'reasoning', key, text: part.text })
          return
        case 'image': {
          const image = { mediaType: part.media_type, data: part.data }
          const last = items.at(-1)
          // Images belong to the text of the same message when it came just before.
          if ((last?.kind === 'user' || last?.kind === 'assistant') && last.key.startsWith(`m${message.id}.`))
            items[items.length - 1] = { ...last, images: [...(last.images ?? []), image] }
          else
            items.push({
              kind: message.role === 'user' ? 'user' : 'assistant',
              key,
              text: '',
              images: [image],
            })
          return
        }
        case 'tool_call':
          calls.set(part.id, items.length)
          items.push({
            kind: 'tool',
            key: `tool:${part.id}`,
            callId: part.id,
            tool: part.name,
            args: parseArguments(part.arguments),
            status: 'called',
          })
          return
        case 'tool_result': {
          const at = calls.get(part.tool_call_id)
          const call = at === undefined ? undefined : items[at]
          const result = {
            status: part.is_error ? 'error' : 'done',
            output: part.content,
            ...(part.images
              ? { images: part.images.map((i) => ({ mediaType: i.media_type, data: i.data })) }
              : {}),
            ...(part.details ? { details: part.details } : {}),
          } as const
          if (at !== undefined && call?.kind === 'tool') items[at] = { ...call, ...result }
          else items.push(orphanResult(key, part.tool_call_id, part.name, result))
          return
        }
        case 'summary':
          items.push({ kind: 'summary', key, text: part.text })
          return
      }
    })
  }
  return items
}

/** Tool-call arguments are JSON text; a malformed one is shown as the text itself. */
export function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function orphanResult(
  key: string,
  callId: string,
  tool: string,
  result: Pick<ToolItem, 'status' | 'output' | 'images' | 'details'>,
): ToolItem {
  return { kind: 'tool', key, callId, tool, args: {}, ...result }
}
