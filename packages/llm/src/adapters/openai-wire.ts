/** Pure mapping from the provider-neutral request to the Chat Completions wire format. */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionUserMessageParam,
} from 'openai/resources/chat/completions'
import { imagesOf, textOf, toolCallsOf } from '../content.js'
import { chatTakesEffort, openAIEffort } from '../reasoning.js'
import type { ChatRequest, ImageBlock, Message, ResolvedModel, ToolSpec, UserContent } from '../types.js'

/**
 * Arguments the model once produced are sent back verbatim when they are valid JSON. Malformed
 * ones become `{}`: several OpenAI-compatible endpoints (Anthropic's, Gemini's) parse historical
 * arguments and reject the whole request otherwise, and the tool result already told the model
 * what was wrong.
 */
export function historicalArguments(raw: string): string {
  try {
    JSON.parse(raw)
    return raw
  } catch {
    return '{}'
  }
}

function imageUrl(image: ImageBlock): string {
  return `data:${image.mediaType};base64,${image.data}`
}

/** A single text block goes as a plain string (what every compatible endpoint accepts). */
function userContent(content: readonly UserContent[]): ChatCompletionUserMessageParam['content'] {
  if (content.every((block) => block.type === 'text')) return textOf(content)
  return content.map(
    (block): ChatCompletionContentPart =>
      block.type === 'text'
        ? { type: 'text', text: block.text }
        : { type: 'image_url', image_url: { url: imageUrl(block) } },
  )
}

/**
 * One conversation message on the wire. Reasoning has no place in Chat Completions and is left
 * out; images in a tool result cannot ride in a `tool` message, so its text goes there and the
 * images follow (see `toWireMessages`).
 */
export function toWireMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content }
    case 'user':
      return { role: 'user', content: userContent(message.content) }
    case 'assistant': {
      const text = textOf(message.content)
      const calls = toolCallsOf(message)
      if (calls.length === 0) return { role: 'assistant', content: text }
      return {
        role: 'assistant',
        // Empty content alongside tool calls is sent as null, which every endpoint accepts.
        content: text === '' ? null : text,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: historicalArguments(call.arguments) },
        })),
      }
    }
    case 'tool': {
      const images = message.content.filter((block) => block.type === 'image').length
      const text = textOf(message.content)
      const note = images > 0 ? `${text ? '\n' : ''}[${images} image(s) attached in the next message]` : ''
      return { role: 'tool', tool_call_id: message.toolCallId, content: `${text}${note}` }
    }
  }
}

/**
 * The whole conversation. After a run of tool results, the images they returned follow in one user
 * message: the only place Chat Completions takes images.
 */
export function toWireMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = []
  let pending: ImageBlock[] = []
  const flush = () => {
    if (pending.length === 0) return
    out.push({
      role: 'user',
      content: [
        { type: 'text', text: 'Images returned by the tool calls above:' },
        ...pending.map(
          (image): ChatCompletionContentPart => ({ type: 'image_url', image_url: { url: imageUrl(image) } }),
        ),
      ],
    })
    pending = []
  }
  for (const message of messages) {
    if (message.role !== 'tool') flush()
    out.push(toWireMessage(message))
    if (message.role === 'tool') pending.push(...imagesOf(message))
  }
  flush()
  return out
}

export function toWireTool(tool: ToolSpec): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }
}

/**
 * OpenAI's reasoning models (o-series, gpt-5) reject `max_tokens` and want `max_completion_tokens`.
 * Other endpoints only know `max_tokens`.
 */
export function usesMaxCompletionTokens(model: ResolvedModel): boolean {
  return model.provider === 'openai' && /^(o\d|gpt-5)/.test(model.model.toLowerCase())
}

export function buildChatBody(
  model: ResolvedModel,
  request: ChatRequest,
): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model: model.model,
    messages: toWireMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
  }
  if (request.tools && request.tools.length > 0) body.tools = request.tools.map(toWireTool)
  if (request.maxOutputTokens !== undefined) {
    if (usesMaxCompletionTokens(model)) body.max_completion_tokens = request.maxOutputTokens
    else body.max_tokens = request.maxOutputTokens
  }
  if (request.reasoning && chatTakesEffort(model))
    body.reasoning_effort = openAIEffort(request.reasoning, model.model)
  if (request.temperature !== undefined) body.temperature = request.temperature
  return body
}
