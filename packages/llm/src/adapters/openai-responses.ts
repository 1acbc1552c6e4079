/**
 * The OpenAI Responses adapter, on the official SDK (loaded on first use). The default wire for
 * `openai/*` on OpenAI's own endpoint, and available for any endpoint with `--api responses`.
 * One call = one attempt: retries belong to `streamChat`, so the SDK's own are off.
 */

import type { Adapter, ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { createOpenAIClient, type OpenAISdk } from './openai-client.js'
import { preloadSdk } from './preload.js'
import { ResponsesAssembler, type ResponsesStreamEvent } from './responses-stream.js'
import { buildResponsesBody, RESPONSES_API } from './responses-wire.js'
import { streamSdkAttempt } from './sdk-attempt.js'
import { toLlmError } from './sdk-errors.js'

function streamAttempt(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
): AsyncGenerator<StreamEvent> {
  return streamSdkAttempt(model, request, options, {
    load: (): Promise<OpenAISdk> => import('openai'),
    open: async (sdk, signal) => {
      const client = createOpenAIClient(sdk, model, options.timeoutMs)
      const stream = await client.responses.create(buildResponsesBody(model, request), { signal })
      return stream as AsyncIterable<ResponsesStreamEvent>
    },
    assembler: () => new ResponsesAssembler(),
    toError: (error, ctx, sdk) => toLlmError(error, ctx, sdk),
  })
}

export const openAIResponsesAdapter: Adapter = {
  api: RESPONSES_API,
  stream: streamAttempt,
  preload: () => preloadSdk(() => import('openai')),
}
