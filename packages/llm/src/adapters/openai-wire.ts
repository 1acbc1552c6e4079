/** Pure mapping from the provider-neutral request to the Chat Completions wire format. */
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions'
import type { ChatRequest, Message, ResolvedModel, ToolSpec } from '../types.js'

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

export function toWireMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content }
    case 'user':
      return { role: 'user', content: message.content }
    case 'assistant': {
      if (message.toolCalls.length === 0) return { role: 'assistant', content: message.content }
      return {
        role: 'assistant',
        // Empty content alongside tool calls is sent as null, which every endpoint accepts.
        content: message.content === '' ? null : message.content,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: historicalArguments(call.arguments) },
        })),
      }
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  }
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
    messages: request.messages.map(toWireMessage),
    stream: true,
    stream_options: { include_usage: true },
  }
  if (request.tools && request.tools.length > 0) body.tools = request.tools.map(toWireTool)
  if (request.maxOutputTokens !== undefined) {
    if (usesMaxCompletionTokens(model)) body.max_completion_tokens = request.maxOutputTokens
    else body.max_tokens = request.maxOutputTokens
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  return body
}
