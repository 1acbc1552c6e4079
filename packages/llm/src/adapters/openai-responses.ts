/**
 * The OpenAI Responses adapter, on the official SDK (loaded on first use). The default wire for
 * `openai/*` on OpenAI's own endpoint, and available for any endpoint with `--api responses`.
 * One call = one attempt: retries belong to `streamChat`, so the SDK's own are off.
 */

import { AbortedError, type LlmError } from '../errors.js'
import type { Adapter, ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { AttemptSignal } from './attempt-signal.js'
import { createOpenAIClient, type OpenAISdk } from './openai-client.js'
import { preloadSdk } from './preload.js'
import { ResponsesAssembler, type ResponsesStreamEvent } from './responses-stream.js'
import { buildResponsesBody, RESPONSES_API } from './responses-wire.js'
import { errorContext, timeoutError, toLlmError } from './sdk-errors.js'

async function* streamAttempt(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
): AsyncGenerator<StreamEvent> {
  const ctx = errorContext(model, options.timeoutMs)
  const attempt = new AttemptSignal(options.timeoutMs, request.signal)
  let sdk: OpenAISdk | undefined
  const failure = (error: unknown): LlmError => {
    if (attempt.reason === 'aborted') return new AbortedError(undefined, { cause: error })
    if (attempt.reason === 'timeout') return timeoutError(ctx, error)
    return toLlmError(error, ctx, sdk)
  }
  try {
    sdk = await import('openai')
    const client = createOpenAIClient(sdk, model, options.timeoutMs)
    const stream = await client.responses.create(buildResponsesBody(model, request), {
      signal: attempt.signal,
    })
    const assembler = new ResponsesAssembler()
    for await (const event of stream) {
      attempt.touch()
      yield* assembler.push(event as ResponsesStreamEvent)
    }
    if (attempt.reason) throw failure(undefined)
    yield* assembler.finish()
  } catch (error) {
    throw failure(error)
  } finally {
    attempt.dispose()
  }
}

export const openAIResponsesAdapter: Adapter = {
  api: RESPONSES_API,
  stream: streamAttempt,
  preload: () => preloadSdk(() => import('openai')),
}
