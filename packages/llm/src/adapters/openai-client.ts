/** The OpenAI SDK client as both OpenAI adapters (Chat Completions, Responses) configure it. */
import type { ResolvedModel } from '../types.js'
import { NO_KEY } from './sdk-errors.js'

export type OpenAISdk = typeof import('openai')

export function createOpenAIClient(sdk: OpenAISdk, model: ResolvedModel, timeoutMs: number) {
  return new sdk.OpenAI({
    apiKey: model.apiKey ?? NO_KEY,
    baseURL: model.baseUrl,
    maxRetries: 0,
    // The SDK wants a positive integer; it bounds the wait for headers, AttemptSignal the rest.
    timeout: Math.max(1, Math.round(timeoutMs)),
    // Errors are reported as typed values; the SDK must not also print to the user's terminal.
    logLevel: 'off',
    ...(model.headers ? { defaultHeaders: model.headers } : {}),
    // OPENAI_ORG_ID / OPENAI_PROJECT_ID mean nothing to other providers: don't leak them there.
    ...(model.provider === 'openai' ? {} : { organization: null, project: null }),
  })
}
