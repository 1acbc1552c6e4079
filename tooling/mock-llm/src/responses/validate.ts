/**
 * Checks an OpenAI Responses request the way the real API does: known parameters only, flat
 * function tools, input items of known shapes, every `function_call` answered by its
 * `function_call_output` (and no output without its call), reasoning items only with the encrypted
 * content the mock issued (nothing is stored with `store: false`) and followed by their output item.
 * The first problem is the answer, worded like the API's errors.
 */
import type { PromptBlock } from '../prompt-cache.js'
import { open } from '../signing.js'

export const ENCRYPTED = 'openai-reasoning'

export interface ResponsesRequest {
  model: string
  input: string | Array<Record<string, unknown>>
  instructions?: string
  tools?: Array<Record<string, unknown>>
  stream?: boolean
  store?: boolean
  include?: string[]
  reasoning?: { effort?: string; summary?: string }
  prompt_cache_key?: string
  max_output_tokens?: number
  temperature?: number
  [key: string]: unknown
}

export type Checked =
  | { ok: true; request: ResponsesRequest; blocks: PromptBlock[]; reasons: boolean }
  | { ok: false; message: string; param: string | null; code?: string }

const PARAMETERS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'stream',
  'stream_options',
  'store',
  'include',
  'reasoning',
  'prompt_cache_key',
  'prompt_cache_retention',
  'max_output_tokens',
  'temperature',
  'top_p',
  'text',
  'truncation',
  'metadata',
  'user',
  'safety_identifier',
  'service_tier',
  'previous_response_id',
  'background',
])
const INCLUDABLE = new Set([
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
  'message.input_image.image_url',
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
])
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']
const SUMMARIES = ['auto', 'concise', 'detailed']

/** Models that reason: the o-series and GPT-5 family (as OpenAI names them). */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model.toLowerCase())
}

class Invalid extends Error {
  constructor(
    message: string,
    readonly param: string | null,
    readonly code?: string,
  ) {
    super(message)
  }
}

function fail(message: string, param: string | null = null, code?: string): never {
  throw new Invalid(message, param, code)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function str(value: unknown, param: string): string {
  if (typeof value !== 'string') fail(`Invalid type for '${param}': expected a string.`, param)
  return value
}

function checkContent(content: unknown, role: string, param: string): void {
  if (typeof content === 'string') return
  if (!Array.isArray(content)) fail(`Invalid type for '${param}': expected a string or an array.`, param)
  content.forEach((part, i) => {
    const at = `${param}[${i}]`
    if (!isObject(part)) fail(`Invalid type for '${at}': expected an object.`, at)
    const allowed =
      role === 'assistant' ? ['output_text', 'refusal'] : ['input_text', 'input_image', 'input_file']
    if (!allowed.includes(String(part.type)))
      fail(
        `Invalid value: '${String(part.type)}'. Supported values for ${role} content are: ${allowed.map((a) => `'${a}'`).join(', ')}.`,
        `${at}.type`,
      )
    if (part.type === 'input_image') {
      const url = str(part.image_url, `${at}.image_url`)
      if (!/^(https?:|data:image\/(png|jpeg|gif|webp);base64,)/.test(url))
        fail(
          `Invalid 'image_url': expected a URL or a base64 data URL of a PNG, JPEG, GIF or WebP image.`,
          `${at}.image_url`,
          'invalid_image_url',
        )
    } else if (part.type !== 'input_file') str(part.text ?? part.refusal, `${at}.text`)
  })
}

function checkTools(tools: unknown, blocks: PromptBlock[]): void {
  if (tools === undefined) return
  if (!Array.isArray(tools)) fail("Invalid type for 'tools': expected an array.", 'tools')
  tools.forEach((tool, i) => {
    const at = `tools[${i}]`
    if (!isObject(tool)) fail(`Invalid type for '${at}': expected an object.`, at)
    if (tool.type !== 'function')
      fail(`Invalid value for '${at}.type': this mock serves function tools only.`, `${at}.type`)
    // Chat Completions nests the function; the Responses API does not.
    if (tool.function !== undefined)
      fail(`Unknown parameter: '${at}.function'.`, `${at}.function`, 'unknown_parameter')
    const name = str(tool.name, `${at}.name`)
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      fail(`Invalid '${at}.name': string does not match pattern '^[a-zA-Z0-9_-]+$'.`, `${at}.name`)
    if (tool.parameters !== undefined && tool.parameters !== null && !isObject(tool.parameters))
      fail(`Invalid type for '${at}.parameters': expected an object.`, `${at}.parameters`)
    blocks.push({ text: `tool:${JSON.stringify(tool)}` })
  })
}

function checkReasoningParams(body: Record<string, unknown>): boolean {
  const reasons = isReasoningModel(String(body.model))
  const reasoning = body.reasoning
  if (reasoning !== undefined && reasoning !== null) {
    if (!isObject(reasoning)) fail("Invalid type for 'reasoning': expected an object.", 'reasoning')
    if (!reasons)
      fail(
        `Unsupported parameter: 'reasoning.effort' is not supported with this model.`,
        'reasoning.effort',
        'unsupported_parameter',
      )
    if (reasoning.effort !== undefined && !EFFORTS.includes(String(reasoning.effort)))
      fail(
        `Invalid value: '${String(reasoning.effort)}'. Supported values are: ${EFFORTS.map((e) => `'${e}'`).join(', ')}.`,
        'reasoning.effort',
      )
    if (reasoning.summary !== undefined && !SUMMARIES.includes(String(reasoning.summary)))
      fail(
        `Invalid value: '${String(reasoning.summary)}'. Supported values are: 'auto', 'concise', 'detailed'.`,
        'reasoning.summary',
      )
  }
  if (reasons && body.temperature !== undefined)
    fail(
      "Unsupported parameter: 'temperature' is not supported with this model.",
      'temperature',
      'unsupported_parameter',
    )
  return reasons
}

/** The structure of the conversation: calls answered, outputs expected, reasoning intact. */
function checkItems(items: Array<Record<string, unknown>>, store: boolean): void {
  const calls = new Map<string, number>()
  const answered = new Set<string>()
  items.forEach((item, i) => {
    const at = `input[${i}]`
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined)
    switch (type) {
      case 'message': {
        const role = String(item.role)
        if (!['user', 'assistant', 'system', 'developer'].includes(role))
          fail(
            `Invalid value: '${role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`,
            `${at}.role`,
          )
        checkContent(item.content, role, `${at}.content`)
        break
      }
      case 'function_call': {
        const id = str(item.call_id, `${at}.call_id`)
        str(item.name, `${at}.name`)
        str(item.arguments, `${at}.arguments`)
        if (calls.has(id)) fail(`Duplicate value for 'call_id' of ${id} in ${at}.`, `${at}.call_id`)
        calls.set(id, i)
        break
      }
      case 'function_call_output': {
        const id = str(item.call_id, `${at}.call_id`)
        if (!calls.has(id)) fail(`No tool call found for function call output with call_id ${id}.`, 'input')
        if (typeof item.output !== 'string') checkContent(item.output, 'tool', `${at}.output`)
        answered.add(id)
        break
      }
      case 'reasoning': {
        const id = str(item.id, `${at}.id`)
        if (!Array.isArray(item.summary))
          fail(`Missing required parameter: '${at}.summary'.`, `${at}.summary`, 'missing_required_parameter')
        const sealed = item.encrypted_content
        if (sealed === undefined || sealed === null) {
          if (!store)
            fail(
              `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
              'input',
            )
        } else {
          const payload = open(ENCRYPTED, sealed)
          if (payload === undefined || JSON.parse(payload).id !== id)
            fail(
              `The encrypted content for item ${id} could not be verified. Reason: Encrypted content could not be decrypted or parsed.`,
              `${at}.encrypted_content`,
              'invalid_encrypted_content',
            )
        }
        const next = items[i + 1]
        const nextType = next ? (next.type ?? (next.role !== undefined ? 'message' : undefined)) : undefined
        const follows = nextType === 'function_call' || (nextType === 'message' && next?.role === 'assistant')
        if (!follows)
          fail(`Item '${id}' of type 'reasoning' was provided without its required following item.`, 'input')
        break
      }
      default:
        fail(
          `Invalid value: '${String(type)}'. This mock accepts message, function_call, function_call_output and reasoning items.`,
          `${at}.type`,
        )
    }
  })
  for (const [id] of calls)
    if (!answered.has(id)) fail(`No tool output found for function call ${id}.`, 'input')
}

export function checkRequest(body: unknown): Checked {
  try {
    if (!isObject(body)) fail('The request body must be a JSON object.')
    for (const key of Object.keys(body))
      if (!PARAMETERS.has(key)) fail(`Unknown parameter: '${key}'.`, key, 'unknown_parameter')
    str(body.model, 'model')
    if (body.stream !== undefined && typeof body.stream !== 'boolean')
      fail("Invalid type for 'stream': expected a boolean.", 'stream')
    if (body.store !== undefined && typeof body.store !== 'boolean')
      fail("Invalid type for 'store': expected a boolean.", 'store')
    if (body.instructions !== undefined && body.instructions !== null) str(body.instructions, 'instructions')
    if (body.prompt_cache_key !== undefined) str(body.prompt_cache_key, 'prompt_cache_key')
    if (body.max_output_tokens !== undefined) {
      const max = body.max_output_tokens
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 16)
        fail(
          "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.",
          'max_output_tokens',
          'integer_below_min_value',
        )
    }
    if (body.include !== undefined) {
      if (!Array.isArray(body.include)) fail("Invalid type for 'include': expected an array.", 'include')
      body.include.forEach((value, i) => {
        if (!INCLUDABLE.has(String(value))) fail(`Invalid value: '${String(value)}'.`, `include[${i}]`)
      })
    }
    const reasons = checkReasoningParams(body)
    const blocks: PromptBlock[] = []
    if (typeof body.instructions === 'string' && body.instructions)
      blocks.push({ text: `instructions:${body.instructions}` })
    checkTools(body.tools, blocks)
    const input = body.input
    if (typeof input === 'string') blocks.push({ text: `input:${input}` })
    else {
      if (!Array.isArray(input) || input.length === 0)
        fail("Missing required parameter: 'input'.", 'input', 'missing_required_parameter')
      input.forEach((item, i) => {
        if (!isObject(item)) fail(`Invalid type for 'input[${i}]': expected an object.`, `input[${i}]`)
      })
      checkItems(input as Array<Record<string, unknown>>, body.store !== false)
      for (const item of input) blocks.push({ text: `item:${JSON.stringify(item)}` })
    }
    return { ok: true, request: body as unknown as ResponsesRequest, blocks, reasons }
  } catch (error) {
    if (error instanceof Invalid)
      return {
        ok: false,
        message: error.message,
        param: error.param,
        ...(error.code ? { code: error.code } : {}),
      }
    throw error
  }
}
