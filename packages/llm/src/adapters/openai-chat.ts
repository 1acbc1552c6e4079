/**
 * The OpenAI Chat Completions adapter, on the official SDK. It serves every provider in the table
 * (they all expose this API) and any `--base-url` endpoint. One call = one attempt: retries belong
 * to `streamChat`, so the SDK's own are off.
 */

import { AbortedError, type LlmError } from '../errors.js'
import type { Adapter, ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { AttemptSignal } from './attempt-signal.js'
import { ChunkAssembler } from './chunk-assembler.js'
import { createOpenAIClient, type OpenAISdk } from './openai-client.js'
import { buildChatBody } from './openai-wire.js'
import { preloadSdk } from './preload.js'
import { errorContext, timeoutError, toLlmError } from './sdk-errors.js'

async function* streamAttempt(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
): AsyncGenerator<StreamEvent> {
  const ctx = errorContext(model, options.timeoutMs)
  const attempt = new AttemptSignal(options.timeoutMs, request.signal)
  let sdk: OpenAISdk | undefined
  // Decides between "we cancelled it" and whatever the SDK saw, since an abort surfaces as both.
  const failure = (error: unknown): LlmError => {
    if (attempt.reason === 'aborted') return new AbortedError(undefined, { cause: error })
    if (attempt.reason === 'timeout') return timeoutError(ctx, error)
    return toLlmError(error, ctx, sdk)
  }
  try {
    // Loaded on first use: the SDK is large and CLI startup must not pay for it.
    sdk = await import('openai')
    const client = createOpenAIClient(sdk, model, options.timeoutMs)
    const stream = await client.chat.completions.create(buildChatBody(model, request), {
      signal: attempt.signal,
    })
    const assembler = new ChunkAssembler()
    for await (const chunk of stream) {
      attempt.touch()
      yield* assembler.push(chunk)
    }
    // The SDK ends iteration quietly when its signal aborts, so an early end may be ours.
    if (attempt.reason) throw failure(undefined)
    yield* assembler.finish()
  } catch (error) {
    throw failure(error)
  } finally {
    attempt.dispose()
  }
}

export const openAIChatAdapter: Adapter = {
  api: 'openai-chat',
  stream: streamAttempt,
  preload: () => preloadSdk(() => import('openai')),
}
