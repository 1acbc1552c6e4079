/** Thin I/O: sends one scripted turn (or its fault) on an HTTP response. */
import type { ServerResponse } from 'node:http'
import { type CompletionContext, completionBody, streamChunks } from './completion.js'
import { errorBody } from './error-body.js'
import type { ChatCompletionRequest, MockTurn } from './types.js'

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** Resolves once the data is handed to the kernel (or the connection is gone), so drops are exact. */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve()
    const onClose = () => resolve()
    res.once('close', onClose)
    res.write(data, () => {
      res.off('close', onClose)
      resolve()
    })
  })
}

/** How the mock waits out `delayMs` and `chunkDelayMs`; the signal aborts when the client leaves. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })

/** Waits for `until`, but stops early when the client goes away (a timed-out client must not stall the mock). */
function hold(until: (signal: AbortSignal) => PromiseLike<unknown>, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve()
    const controller = new AbortController()
    const done = () => {
      res.off('close', done)
      controller.abort()
      resolve()
    }
    res.once('close', done)
    Promise.resolve(until(controller.signal)).then(done, done)
  })
}

/** Waits `ms` through `sleep`, but stops early when the client goes away. */
export function wait(ms: number, res: ServerResponse, sleep: Sleep = timerSleep): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return hold((signal) => sleep(ms, signal), res)
}

/** Before any answer: the turn's `delayMs`, then its `holdUntil` (unless it holds mid-stream). */
export async function beforeAnswer(
  turn: MockTurn,
  res: ServerResponse,
  streaming: boolean,
  sleep: Sleep = timerSleep,
): Promise<void> {
  if (turn.delayMs) await wait(turn.delayMs, res, sleep)
  const { holdUntil } = turn
  const midStream = streaming && (turn.holdAfterChunks ?? 0) > 0
  if (holdUntil && !midStream) await hold(() => holdUntil, res)
}

/**
 * Sends SSE frames (each already `...\n\n`-terminated), honouring the turn's chunk delay and a
 * `dropAfterChunks` fault, then `tail` (e.g. `data: [DONE]`) and the end of the body.
 */
export async function sendFrames(
  res: ServerResponse,
  frames: readonly string[],
  turn: MockTurn,
  options: {
    dropAfter?: number
    tail?: readonly string[]
    headers?: Record<string, string>
    sleep?: Sleep
  } = {},
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...options.headers,
  })
  const { dropAfter } = options
  for (const [i, frame] of frames.entries()) {
    if (dropAfter !== undefined && i >= dropAfter) break
    if (i > 0 && turn.chunkDelayMs) await wait(turn.chunkDelayMs, res, options.sleep)
    const { holdUntil } = turn
    if (holdUntil && i > 0 && i === turn.holdAfterChunks) await hold(() => holdUntil, res)
    if (res.destroyed) return
    await write(res, frame)
  }
  if (dropAfter !== undefined) {
    // No terminating chunk of the chunked encoding: the client sees the connection die mid-body.
    res.socket?.destroy()
    return
  }
  for (const frame of options.tail ?? []) await write(res, frame)
  res.end()
}

async function sendStream(
  res: ServerResponse,
  chunks: object[],
  turn: MockTurn,
  dropAfter: number | undefined,
  sleep: Sleep,
) {
  const frames = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  await sendFrames(res, frames, turn, {
    ...(dropAfter === undefined ? {} : { dropAfter }),
    tail: ['data: [DONE]\n\n'],
    sleep,
  })
}

/** Answers a chat request with a turn that has already been taken from the script. */
export async function sendTurn(
  res: ServerResponse,
  turn: MockTurn,
  request: ChatCompletionRequest,
  ctx: CompletionContext,
  sleep: Sleep = timerSleep,
): Promise<void> {
  await beforeAnswer(turn, res, request.stream === true, sleep)
  if (res.destroyed) return
  const fault = turn.fault
  if (fault && 'hangup' in fault) {
    res.socket?.destroy()
    return
  }
  if (fault && 'status' in fault) {
    const headers: Record<string, string> = { ...fault.headers }
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
    const body = fault.body ?? errorBody(fault.status, { message: fault.message, code: fault.code })
    sendJson(res, fault.status, body, headers)
    return
  }
  const dropAfter = fault && 'dropAfterChunks' in fault ? fault.dropAfterChunks : undefined
  if (fault && 'streamError' in fault) {
    // OpenAI reports a failure after the stream began as a data line holding `error`.
    const [first] = streamChunks(turn, ctx, request)
    const error = {
      message: fault.streamError.message ?? 'The server had an error.',
      type: fault.streamError.type,
      code: null,
      param: null,
    }
    await sendFrames(
      res,
      [`data: ${JSON.stringify(first)}\n\n`, `data: ${JSON.stringify({ error })}\n\n`],
      turn,
      { sleep },
    )
    return
  }
  if (request.stream === true) {
    await sendStream(res, streamChunks(turn, ctx, request), turn, dropAfter, sleep)
    return
  }
  const text = JSON.stringify(completionBody(turn, ctx, request))
  if (dropAfter !== undefined) {
    // A non-streamed body has no chunks to count: send half of it and cut the connection.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    await write(res, text.slice(0, Math.floor(text.length / 2)))
    res.socket?.destroy()
    return
  }
  sendJson(res, 200, text)
}
