/**
 * The OpenAI Chat Completions adapter, on the official SDK. It serves every provider in the table
 * (they all expose this API) and any `--base-url` endpoint. One call = one attempt: retries belong
 * to `streamChat`, so the SDK's own are off.
 */

import type { Adapter, ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { ChunkAssembler } from './chunk-assembler.js'
import { createOpenAIClient, type OpenAISdk } from './openai-client.js'
import { buildChatBody } from './openai-wire.js'
import { preloadSdk } from './preload.js'
import { streamSdkAttempt } from './sdk-attempt.js'
import { toLlmError } from './sdk-errors.js'

function streamAttempt(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
): AsyncGenerator<StreamEvent> {
  return streamSdkAttempt(model, request, options, {
    load: (): Promise<OpenAISdk> => import('openai'),
    open: (sdk, signal) =>
      createOpenAIClient(sdk, model, options.timeoutMs).chat.completions.create(
        buildChatBody(model, request),
        {
          signal,
        },
      ),
    assembler: () => new ChunkAssembler(),
    toError: (error, ctx, sdk) => toLlmError(error, ctx, sdk),
  })
}

export const openAIChatAdapter: Adapter = {
  api: 'openai-chat',
  stream: streamAttempt,
  preload: () => preloadSdk(() => import('openai')),
}
