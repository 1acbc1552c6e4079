/**
 * The Anthropic Messages adapter, on the official `@anthropic-ai/sdk` (loaded on first use). It
 * speaks API version 2023-06-01 with the key in `x-api-key`, which Anthropic and every
 * Anthropic-compatible endpoint accept. One call = one attempt: retries belong to `streamChat`.
 */

import type { Stream } from '@anthropic-ai/sdk/core/streaming'
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages'
import type { Adapter, ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { AnthropicAssembler, type AnthropicStreamEvent } from './anthropic-stream.js'
import { ANTHROPIC_API, buildAnthropicBody } from './anthropic-wire.js'
import { preloadSdk } from './preload.js'
import { streamSdkAttempt } from './sdk-attempt.js'
import { innerError, NO_KEY, stringField, toLlmError } from './sdk-errors.js'

type AnthropicSdk = typeof import('./anthropic-sdk.js')

/** The HTTP status each Anthropic error type stands for: errors sent inside a stream have none. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
}

function createClient(sdk: AnthropicSdk, model: ResolvedModel, timeoutMs: number) {
  return new sdk.BaseAnthropic({
    apiKey: model.apiKey ?? NO_KEY,
    // ANTHROPIC_AUTH_TOKEN must not ride along to whatever endpoint this is.
    authToken: null,
    baseURL: model.baseUrl,
    maxRetries: 0,
    timeout: Math.max(1, Math.round(timeoutMs)),
    logLevel: 'off',
    // Penguin's own telemetry records model calls; the SDK must not add spans or trace headers.
    openTelemetry: { traces: false, propagation: false },
    ...(model.headers ? { defaultHeaders: model.headers } : {}),
  })
}

/** An error type from the body (`{type: 'error', error: {type}}`) or the SDK's own `type`. */
function anthropicCode(error: { error?: unknown; type?: unknown }): string | undefined {
  return (
    stringField(innerError(error.error), 'type') ?? (typeof error.type === 'string' ? error.type : undefined)
  )
}

/** A stream `error` event has no status; its type says which one it stands for. */
function withStatus(error: unknown, sdk: AnthropicSdk): unknown {
  if (!(error instanceof sdk.APIError) || error.status !== undefined) return error
  const status = STATUS_OF_TYPE[anthropicCode(error) ?? '']
  if (status === undefined) return error
  return new sdk.APIError(status, error.error, error.message, error.headers, error.type)
}

function streamAttempt(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
): AsyncGenerator<StreamEvent> {
  return streamSdkAttempt(model, request, options, {
    load: (): Promise<AnthropicSdk> => import('./anthropic-sdk.js'),
    // `messages.create` is `post('/v1/messages')` plus deprecation notices printed straight to the
    // console on every request (not through the SDK's logger), which would break into the user's
    // terminal and `--json` output; the request itself is the same.
    open: async (sdk, signal) => {
      const client = createClient(sdk, model, options.timeoutMs)
      const stream = await client.post<Stream<RawMessageStreamEvent>>('/v1/messages', {
        body: buildAnthropicBody(model, request),
        stream: true,
        signal,
      })
      return stream as AsyncIterable<AnthropicStreamEvent>
    },
    assembler: () => new AnthropicAssembler(),
    toError: (error, ctx, sdk) => toLlmError(sdk ? withStatus(error, sdk) : error, ctx, sdk, anthropicCode),
  })
}

export const anthropicMessagesAdapter: Adapter = {
  api: ANTHROPIC_API,
  stream: streamAttempt,
  preload: () => preloadSdk(() => import('./anthropic-sdk.js')),
}
