/**
 * Pure mapping from the provider-neutral request to OpenAI's Responses API: the system prompt as
 * `instructions`, flat function tools, the conversation as input items (`message`,
 * `function_call`, `function_call_output`, and the encrypted `reasoning` items of earlier turns,
 * passed back unchanged), `store: false` so nothing is kept server-side, `prompt_cache_key` so a
 * session's turns land on the same cache, and `reasoning.effort` for reasoning models.
 */
import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseFunctionCallOutputItemList,
  ResponseInputItem,
  ResponseInputMessageContentList,
} from 'openai/resources/responses/responses'
import { openAIEffort } from '../reasoning.js'
import type {
  AssistantMessage,
  ChatRequest,
  ImageBlock,
  Message,
  ResolvedModel,
  ToolResultMessage,
  ToolSpec,
  UserContent,
} from '../types.js'
import { historicalArguments } from './openai-wire.js'

export const RESPONSES_API = 'openai-responses'

function imageUrl(image: ImageBlock): string {
  return `data:${image.mediaType};base64,${image.data}`
}

function userContent(content: readonly UserContent[]): ResponseInputMessageContentList {
  return content.map((block) =>
    block.type === 'text'
      ? { type: 'input_text', text: block.text }
      : { type: 'input_image', image_url: imageUrl(block), detail: 'auto' },
  )
}

function assistantItems(message: AssistantMessage): ResponseInputItem[] {
  const items: ResponseInputItem[] = []
  for (const block of message.content) {
    switch (block.type) {
      case 'reasoning':
        // Only our own encrypted items go back: with store off, the id alone would not be found.
        if (block.api === RESPONSES_API && block.id && block.encrypted !== undefined)
          items.push({
            type: 'reasoning',
            id: block.id,
            summary: (block.summary ?? []).map((text) => ({ type: 'summary_text', text })),
            encrypted_content: block.encrypted,
          })
        break
      case 'text':
        if (block.text) items.push({ type: 'message', role: 'assistant', content: block.text })
        break
      case 'tool_call':
        items.push({
          type: 'function_call',
          call_id: block.id,
          name: block.name,
          arguments: historicalArguments(block.arguments),
        })
        break
    }
  }
  return items
}

function toolOutput(message: ToolResultMessage): ResponseInputItem {
  const hasImages = message.content.some((block) => block.type === 'image')
  const output: string | ResponseFunctionCallOutputItemList = hasImages
    ? message.content.map((block) =>
        block.type === 'text'
          ? { type: 'input_text', text: block.text }
          : { type: 'input_image', image_url: imageUrl(block), detail: 'auto' },
      )
    : message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
  return { type: 'function_call_output', call_id: message.toolCallId, output }
}

/** The conversation as input items; the system prompt goes in `instructions` instead. */
export function toInputItems(messages: readonly Message[]): ResponseInputItem[] {
  const items: ResponseInputItem[] = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break
      case 'user':
        items.push({ type: 'message', role: 'user', content: userContent(message.content) })
        break
      case 'assistant':
        items.push(...assistantItems(message))
        break
      case 'tool':
        items.push(toolOutput(message))
        break
    }
  }
  return items
}

function wireTool(tool: ToolSpec): FunctionTool {
  // Not strict: our schemas have optional properties, which strict mode does not allow.
  return {
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    strict: false,
  }
}

export function buildResponsesBody(
  model: ResolvedModel,
  request: ChatRequest,
): ResponseCreateParamsStreaming {
  const reasons = model.info.reasoning === true
  const instructions = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content as string)
    .join('\n\n')
  const body: ResponseCreateParamsStreaming = {
    model: model.model,
    input: toInputItems(request.messages),
    stream: true,
    store: false,
  }
  if (instructions) body.instructions = instructions
  if (request.tools && request.tools.length > 0) body.tools = request.tools.map(wireTool)
  // Reasoning is carried across turns only as encrypted items when nothing is stored.
  if (reasons || model.info.unknown) body.include = ['reasoning.encrypted_content']
  if (reasons)
    body.reasoning = {
      ...(request.reasoning ? { effort: openAIEffort(request.reasoning, model.model) } : {}),
      summary: 'auto',
    }
  if (request.cacheKey) body.prompt_cache_key = request.cacheKey
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens
  // Reasoning models reject sampling settings.
  if (request.temperature !== undefined && !reasons) body.temperature = request.temperature
  return body
}
