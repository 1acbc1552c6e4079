/** `POST /v1/responses`: bearer key, strict request checks, faults, then the turn's events. */
import type { ServerResponse } from 'node:http'
import { errorBody } from '../error-body.js'
import { blockTokens } from '../prompt-cache.js'
import { sendFrames, sendJson, wait } from '../respond.js'
import type { MockState } from '../state.js'
import type { RecordedRequest, ReportedUsage } from '../types.js'
import { outputText, type ResponsesContext, responseBody, streamEvents } from './respond.js'
import { checkRequest } from './validate.js'

function frame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

function rejection(status: number, message: string, param: string | null = null, code?: string) {
  const body = errorBody(status, { message, ...(code ? { code } : {}) })
  return { ...body, error: { ...body.error, param } }
}

export async function handleResponses(state: MockState, record: RecordedRequest, res: ServerResponse) {
  const expected = state.options.requireApiKey
  if (expected !== undefined && record.headers.authorization !== `Bearer ${expected}`)
    return sendJson(res, 401, errorBody(401, { message: 'Incorrect API key provided.' }))
  if (record.json === undefined)
    return sendJson(res, 400, rejection(400, 'We could not parse the JSON body of your request.'))
  const checked = checkRequest(record.json)
  if (!checked.ok) return sendJson(res, 400, rejection(400, checked.message, checked.param, checked.code))
  const { request } = checked
  const models = state.options.models
  if (models && !models.includes(request.model)) {
    const message = `The model \`${request.model}\` does not exist or you do not have access to it.`
    return sendJson(res, 404, errorBody(404, { message, code: 'model_not_found' }))
  }

  const next = state.next(record)
  if (!next.ok) return sendJson(res, 500, errorBody(500, { message: next.message, code: next.code }))
  const { turn, index } = next
  if (turn.delayMs) await wait(turn.delayMs, res)
  if (res.destroyed) return
  const fault = turn.fault
  if (fault && 'hangup' in fault) return void res.socket?.destroy()
  if (fault && 'status' in fault) {
    const headers: Record<string, string> = { ...fault.headers }
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
    return sendJson(
      res,
      fault.status,
      fault.body ?? errorBody(fault.status, { message: fault.message, code: fault.code }),
      headers,
    )
  }

  const usage: ReportedUsage = (() => {
    if (turn.usage)
      return {
        input: turn.usage.prompt_tokens,
        output: turn.usage.completion_tokens,
        cacheRead: turn.usage.cached_tokens ?? 0,
        cacheWrite: 0,
      }
    const output = blockTokens(outputText(turn, checked.reasons))
    if (state.options.promptCache === false) {
      const input = checked.blocks.reduce((sum, block) => sum + blockTokens(block.text), 0)
      return { input, output, cacheRead: 0, cacheWrite: 0 }
    }
    const cached = state.cache.automatic(request.model, checked.blocks)
    return { input: cached.input, output, cacheRead: cached.read, cacheWrite: 0 }
  })()
  record.usage = usage
  const ctx: ResponsesContext = {
    id: `resp_mock_${index}`,
    model: request.model,
    turnIndex: index,
    created: Math.floor(Date.now() / 1000),
    request,
    reasons: checked.reasons,
    usage,
  }
  if (request.stream !== true) return sendJson(res, 200, responseBody(turn, ctx))
  const events = streamEvents(turn, ctx)
  if (fault && 'streamError' in fault) {
    const error = {
      type: 'error',
      code: fault.streamError.type,
      message: fault.streamError.message ?? 'The server had an error while processing your request.',
      param: null,
      sequence_number: 2,
    }
    return sendFrames(res, [frame(events[0]!), frame(events[1]!), frame(error)], turn)
  }
  const dropAfter = fault && 'dropAfterChunks' in fault ? fault.dropAfterChunks : undefined
  await sendFrames(res, events.map(frame), turn, dropAfter === undefined ? {} : { dropAfter })
}
