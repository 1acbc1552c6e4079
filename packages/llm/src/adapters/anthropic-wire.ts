/**
 * Pure mapping from the provider-neutral request to Anthropic's Messages API: the system prompt in
 * `system`, tools with `input_schema`, tool results as `tool_result` blocks first in the next user
 * message, thinking blocks sent back byte for byte, and prompt-cache breakpoints.
 *
 * Caching: Anthropic caches the prefix (tools → system → messages) up to each `cache_control`
 * breakpoint, at most four. We mark the last tool, the system prompt, the newest message, and the
 * newest message of the previous request (the one before the last assistant turn): each turn then
 * reads what the turn before wrote, however many blocks a turn added.
 */
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages'
import { thinkingBudget } from '../reasoning.js'
import type {
  AssistantContent,
  AssistantMessage,
  ChatRequest,
  ImageBlock,
  Message,
  ResolvedModel,
  ToolResultMessage,
  ToolSpec,
  UserContent,
} from '../types.js'

export const ANTHROPIC_API = 'anthropic-messages'

/** What we ask for when the caller sets no limit: enough for long edits, well under every model's cap. */
export const DEFAULT_MAX_TOKENS = 16_384

const EPHEMERAL = { type: 'ephemeral' } as const

type Block = ContentBlockParam
interface WireMessage {
  role: 'user' | 'assistant'
  content: Block[]
}

function image(block: ImageBlock): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: block.mediaType, data: block.data } }
}

/** Anthropic rejects empty text blocks; an empty text carries nothing, so it is left out. */
function userBlocks(content: readonly UserContent[]): Block[] {
  return content.flatMap((block): Block[] => {
    if (block.type === 'image') return [image(block)]
    return block.text ? [{ type: 'text', text: block.text }] : []
  })
}

/** Historical arguments must be an object on this wire; anything else was never a valid call. */
function toolInput(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

function assistantBlock(block: AssistantContent): Block | undefined {
  if (block.type === 'text') return block.text ? { type: 'text', text: block.text } : undefined
  if (block.type === 'tool_call')
    return { type: 'tool_use', id: block.id, name: block.name, input: toolInput(block.arguments) }
  // Only Anthropic's own thinking goes back, exactly as it came: its signature covers the text.
  if (block.api !== ANTHROPIC_API) return undefined
  if (block.redacted !== undefined) return { type: 'redacted_thinking', data: block.redacted }
  if (block.signature !== undefined)
    return { type: 'thinking', thinking: block.text, signature: block.signature }
  return undefined
}

function assistantBlocks(message: AssistantMessage): Block[] {
  return message.content.flatMap((block) => assistantBlock(block) ?? [])
}

function toolResult(message: ToolResultMessage): ToolResultBlockParam {
  const content = message.content.flatMap((block): Array<TextBlockParam | ImageBlockParam> => {
    if (block.type === 'image') return [image(block)]
    return block.text ? [{ type: 'text', text: block.text }] : []
  })
  return {
    type: 'tool_result',
    tool_use_id: message.toolCallId,
    ...(content.length > 0 ? { content } : {}),
    ...(message.isError ? { is_error: true } : {}),
  }
}

/**
 * The conversation as Anthropic turns: tool results become `tool_result` blocks at the start of a
 * user turn, consecutive turns of one role are merged (the API would merge them anyway; merged
 * here, the request is the same bytes every time), and empty turns are dropped.
 */
export function toWireMessages(messages: readonly Message[]): WireMessage[] {
  const out: WireMessage[] = []
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return
    const last = out.at(-1)
    if (last?.role === role) last.content.push(...blocks)
    else out.push({ role, content: blocks })
  }
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break
      case 'user':
        push('user', userBlocks(message.content))
        break
      case 'assistant':
        push('assistant', assistantBlocks(message))
        break
      case 'tool':
        push('user', [toolResult(message)])
        break
    }
  }
  return out
}

function wireTool(tool: ToolSpec): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Tool['input_schema'],
  }
}

/** Marks a block as a cache breakpoint; thinking blocks cannot carry one and are skipped. */
function markLast(message: WireMessage | undefined): boolean {
  const block = message?.content.at(-1)
  if (!block || block.type === 'thinking' || block.type === 'redacted_thinking') return false
  ;(block as { cache_control?: typeof EPHEMERAL }).cache_control = EPHEMERAL
  return true
}

/** The rolling breakpoints: the newest message, and the newest of the request before it. */
export function markMessages(messages: WireMessage[], budget: number): void {
  if (budget <= 0) return
  const lastAssistant = messages.map((m) => m.role).lastIndexOf('assistant')
  if (markLast(messages.at(-1))) budget--
  if (budget > 0 && lastAssistant > 0) markLast(messages[lastAssistant - 1])
}

export function systemOf(messages: readonly Message[]): string {
  return messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content as string)
    .join('\n\n')
}

export function buildAnthropicBody(model: ResolvedModel, request: ChatRequest): MessageCreateParamsStreaming {
  const outputLimit = model.info.maxOutputTokens
  let maxTokens = request.maxOutputTokens ?? Math.min(outputLimit, DEFAULT_MAX_TOKENS)
  const effort = request.reasoning
  const thinks = effort !== undefined && effort !== 'off' && model.info.reasoning === true
  // Claude 4.6 and later think by effort; earlier thinking models by a token budget.
  const adaptive = thinks && model.info.adaptiveThinking === true
  const thinking = thinks && !adaptive ? thinkingBudget(effort, maxTokens, outputLimit) : undefined
  if (thinking) maxTokens = thinking.maxTokens

  const body: MessageCreateParamsStreaming = {
    model: model.model,
    max_tokens: maxTokens,
    messages: toWireMessages(request.messages) as MessageParam[],
    stream: true,
  }
  let breakpoints = 4
  if (request.tools && request.tools.length > 0) {
    const tools = request.tools.map(wireTool)
    tools[tools.length - 1]!.cache_control = EPHEMERAL
    breakpoints--
    body.tools = tools
  }
  const system = systemOf(request.messages)
  if (system) {
    body.system = [{ type: 'text', text: system, cache_control: EPHEMERAL }]
    breakpoints--
  }
  markMessages(body.messages as WireMessage[], breakpoints)
  if (thinking) body.thinking = { type: 'enabled', budget_tokens: thinking.budget }
  else if (adaptive) {
    body.thinking = { type: 'adaptive' }
    body.output_config = { effort: effort === 'minimal' ? 'low' : (effort as 'low' | 'medium' | 'high') }
  }
  // Sampling settings are incompatible with thinking.
  else if (request.temperature !== undefined) body.temperature = request.temperature
  return body
}
