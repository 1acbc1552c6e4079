/** Boundary checks for what arrives from outside: request bodies and script files. */
import type { ChatCompletionRequest, FinishReason, MockFault, MockToolCall, MockTurn } from './types.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The body as JSON, or undefined when it is empty or not JSON. */
export function parseJson(raw: string): unknown {
  if (!raw) return undefined
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

/** The chat request in a body, or undefined when it is not JSON or has no `messages` array. */
export function parseChatRequest(raw: string): ChatCompletionRequest | undefined {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!isObject(value) || !Array.isArray(value.messages)) return undefined
  if (value.model !== undefined && typeof value.model !== 'string') return undefined
  // Messages and the rest are recorded as sent: asserting on them is the tests' job, not the mock's.
  return value as ChatCompletionRequest
}

const FINISH_REASONS: readonly string[] = [
  'stop',
  'tool_calls',
  'length',
  'content_filter',
] satisfies FinishReason[]

function isFinishReason(value: unknown): value is FinishReason {
  return typeof value === 'string' && FINISH_REASONS.includes(value)
}

function fail(where: string, what: string): never {
  throw new Error(`invalid mock script: ${where}: ${what}`)
}

function optionalNumber(obj: Record<string, unknown>, key: string, where: string): number | undefined {
  const v = obj[key]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(where, `${key} must be a non-negative number`)
  return v
}

function parseToolCall(value: unknown, where: string): MockToolCall {
  if (!isObject(value)) fail(where, 'must be an object')
  if (typeof value.name !== 'string') fail(where, 'name must be a string')
  const args = value.arguments
  if (typeof args !== 'string' && !isObject(args)) fail(where, 'arguments must be a string or an object')
  if (value.id !== undefined && typeof value.id !== 'string') fail(where, 'id must be a string')
  return { name: value.name, arguments: args, ...(typeof value.id === 'string' ? { id: value.id } : {}) }
}

function parseFault(value: unknown, where: string): MockFault {
  if (!isObject(value)) fail(where, 'must be an object')
  if (value.hangup === true) return { hangup: true }
  if (isObject(value.streamError)) {
    if (typeof value.streamError.type !== 'string') fail(where, 'streamError.type must be a string')
    return {
      streamError: {
        type: value.streamError.type,
        ...(typeof value.streamError.message === 'string' ? { message: value.streamError.message } : {}),
      },
    }
  }
  const drop = optionalNumber(value, 'dropAfterChunks', where)
  if (drop !== undefined) return { dropAfterChunks: drop }
  const status = optionalNumber(value, 'status', where)
  if (status === undefined) fail(where, 'needs status, dropAfterChunks, hangup or streamError')
  const fault: MockFault = { status }
  const retryAfter = optionalNumber(value, 'retryAfter', where)
  if (retryAfter !== undefined) fault.retryAfter = retryAfter
  if (value.body !== undefined) fault.body = value.body
  if (typeof value.message === 'string') fault.message = value.message
  if (typeof value.code === 'string') fault.code = value.code
  if (isObject(value.headers))
    fault.headers = Object.fromEntries(Object.entries(value.headers).map(([k, v]) => [k, String(v)]))
  return fault
}

function parseTurn(value: unknown, where: string): MockTurn {
  if (!isObject(value)) fail(where, 'must be an object')
  const turn: MockTurn = {}
  if (value.text !== undefined) {
    if (typeof value.text !== 'string') fail(where, 'text must be a string')
    turn.text = value.text
  }
  if (value.reasoning !== undefined) {
    if (typeof value.reasoning !== 'string') fail(where, 'reasoning must be a string')
    turn.reasoning = value.reasoning
  }
  if (value.redactedReasoning !== undefined) {
    if (typeof value.redactedReasoning !== 'boolean') fail(where, 'redactedReasoning must be true or false')
    turn.redactedReasoning = value.redactedReasoning
  }
  if (value.toolCalls !== undefined) {
    if (!Array.isArray(value.toolCalls)) fail(where, 'toolCalls must be an array')
    turn.toolCalls = value.toolCalls.map((c, i) => parseToolCall(c, `${where}.toolCalls[${i}]`))
  }
  if (value.usage !== undefined) {
    if (!isObject(value.usage)) fail(where, 'usage must be an object')
    const prompt = optionalNumber(value.usage, 'prompt_tokens', `${where}.usage`)
    const completion = optionalNumber(value.usage, 'completion_tokens', `${where}.usage`)
    if (prompt === undefined || completion === undefined)
      fail(where, 'usage needs prompt_tokens and completion_tokens')
    const cached = optionalNumber(value.usage, 'cached_tokens', `${where}.usage`)
    const written = optionalNumber(value.usage, 'cache_write_tokens', `${where}.usage`)
    turn.usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      ...(cached !== undefined ? { cached_tokens: cached } : {}),
      ...(written !== undefined ? { cache_write_tokens: written } : {}),
    }
  }
  if (value.finishReason !== undefined) {
    if (!isFinishReason(value.finishReason))
      fail(where, 'finishReason must be stop, tool_calls, length or content_filter')
    turn.finishReason = value.finishReason
  }
  const delayMs = optionalNumber(value, 'delayMs', where)
  if (delayMs !== undefined) turn.delayMs = delayMs
  const chunkDelayMs = optionalNumber(value, 'chunkDelayMs', where)
  if (chunkDelayMs !== undefined) turn.chunkDelayMs = chunkDelayMs
  if (value.fault !== undefined) turn.fault = parseFault(value.fault, `${where}.fault`)
  return turn
}

/** Validates a script loaded from JSON (an array of turns), with errors that point at the bad turn. */
export function parseScript(value: unknown): MockTurn[] {
  if (!Array.isArray(value)) fail('script', 'must be a JSON array of turns')
  return value.map((turn, i) => parseTurn(turn, `turn[${i}]`))
}
