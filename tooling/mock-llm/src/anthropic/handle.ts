/** `POST /v1/messages`: Anthropic's headers, strict request checks, faults, then the turn's events. */
import type { ServerResponse } from 'node:http'
import { blockTokens } from '../prompt-cache.js'
import { beforeAnswer, sendFrames, sendJson } from '../respond.js'
import type { MockState } from '../state.js'
import type { RecordedRequest, ReportedUsage } from '../types.js'
import { type AnthropicContext, anthropicError, messageBody, outputText, streamEvents } from './respond.js'
import { API_VERSIONS, checkRequest } from './validate.js'

/** Sonnet and Opus cache prefixes of 1,024 tokens or more; Haiku needs 2,048. */
function minCacheTokens(model: string): number {
  return /haiku/i.test(model) ? 2048 : 1024
}

function requestId(index: number): string {
  return `req_mock_${index}`
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

export async function handleAnthropic(state: MockState, record: RecordedRequest, res: ServerResponse) {
  const id = requestId(state.requests.length)
  const reject = (status: number, message: string, type?: string) =>
    sendJson(res, status, anthropicError(status, { message, ...(type ? { type } : {}) }), {
      'request-id': id,
    })
  const key = record.headers['x-api-key'] ?? record.headers.authorization?.replace(/^Bearer\s+/i, '')
  if (!key) return reject(401, 'x-api-key header is required')
  const expected = state.options.requireApiKey
  if (expected !== undefined && key !== expected) return reject(401, 'invalid x-api-key')
  const version = record.headers['anthropic-version']
  if (!version) return reject(400, 'anthropic-version: header is required')
  if (!(API_VERSIONS as readonly string[]).includes(version))
    return reject(400, `anthropic-version: unknown API version "${version}"`)
  if (record.json === undefined) return reject(400, 'The request body is not valid JSON')
  const checked = checkRequest(record.json, version)
  if (!checked.ok) return reject(400, checked.message)
  const { request } = checked
  const models = state.options.models
  if (models && !models.includes(request.model))
    return reject(404, `model: ${request.model}`, 'not_found_error')

  const next = state.next(record)
  if (!next.ok) return reject(500, next.message, 'api_error')
  const { turn, index } = next
  const sleep = state.options.sleep
  await beforeAnswer(turn, res, request.stream === true, sleep)
  if (res.destroyed) return
  const fault = turn.fault
  if (fault && 'hangup' in fault) return void res.socket?.destroy()
  if (fault && 'status' in fault) {
    const headers: Record<string, string> = { 'request-id': id, ...fault.headers }
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
    const body =
      fault.body ??
      anthropicError(fault.status, {
        ...(fault.code ? { type: fault.code } : {}),
        ...(fault.message ? { message: fault.message } : {}),
      })
    return sendJson(res, fault.status, body, headers)
  }

  const usage: ReportedUsage = (() => {
    if (turn.usage)
      return {
        input: turn.usage.prompt_tokens,
        output: turn.usage.completion_tokens,
        cacheRead: turn.usage.cached_tokens ?? 0,
        cacheWrite: turn.usage.cache_write_tokens ?? 0,
      }
    const output = blockTokens(outputText(turn, checked.thinking))
    if (state.options.promptCache === false) {
      const input = checked.blocks.reduce((sum, block) => sum + blockTokens(block.text), 0)
      return { input, output, cacheRead: 0, cacheWrite: 0 }
    }
    const cached = state.cache.explicit(request.model, checked.blocks, minCacheTokens(request.model))
    return { input: cached.input, output, cacheRead: cached.read, cacheWrite: cached.write }
  })()
  record.usage = usage
  const ctx: AnthropicContext = {
    id: `msg_mock_${index}`,
    model: request.model,
    turnIndex: index,
    thinking: checked.thinking,
    usage,
  }
  if (request.stream !== true)
    return sendJson(res, 200, messageBody(turn, ctx, usage.output), { 'request-id': id })

  const events = streamEvents(turn, ctx, usage.output)
  if (fault && 'streamError' in fault) {
    // Overloads and other failures after the stream began arrive as an `error` event.
    const error = anthropicError(529, {
      type: fault.streamError.type,
      ...(fault.streamError.message ? { message: fault.streamError.message } : {}),
    })
    return sendFrames(res, [frame('message_start', events[0]!.data), frame('error', error)], turn, {
      headers: { 'request-id': id },
      ...(sleep ? { sleep } : {}),
    })
  }
  const dropAfter = fault && 'dropAfterChunks' in fault ? fault.dropAfterChunks : undefined
  await sendFrames(
    res,
    events.map((event) => frame(event.event, event.data)),
    turn,
    {
      headers: { 'request-id': id },
      ...(dropAfter === undefined ? {} : { dropAfter }),
      ...(sleep ? { sleep } : {}),
    },
  )
}
