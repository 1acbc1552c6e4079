/**
 * Maps whatever a provider SDK or fetch threw to one typed `LlmError` with a clean message. The
 * OpenAI and Anthropic SDKs are generated alike and share these error class names.
 */
import {
  AbortedError,
  AuthError,
  ContextTooLongError,
  LlmError,
  ModelNotFoundError,
  RateLimitError,
  UnreachableError,
} from '../errors.js'
import {
  connectionReason,
  type HeaderLookup,
  looksLikeContextTooLong,
  oneLine,
  parseRetryAfter,
  redact,
  serverMessage,
  withoutPassword,
} from './error-text.js'

/** The error classes of a loaded SDK module (`openai` or `@anthropic-ai/sdk`). */
export interface SdkErrors {
  APIUserAbortError: abstract new (...args: never[]) => Error
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error
  APIConnectionError: abstract new (...args: never[]) => Error
  APIError: abstract new (
    ...args: never[]
  ) => Error & { status?: number | undefined; error?: unknown; headers?: HeaderLookup | undefined }
}

export interface ErrorContext {
  provider: string
  model: string
  baseUrl: string
  apiKey?: string
  apiKeyEnv?: string
  timeoutMs: number
}

/** An HTTP error answer, reduced to what classification needs. */
export interface HttpFailure {
  /** Undefined for an error sent inside an otherwise successful stream. */
  status: number | undefined
  code?: string
  message: string
  headers?: HeaderLookup
}

/** The SDKs insist on a key; local servers need none, and an obvious placeholder beats a fake one. */
export const NO_KEY = 'not-needed'

export function errorContext(
  model: { provider: string; model: string; baseUrl: string; apiKey?: string; apiKeyEnv?: string },
  timeoutMs: number,
): ErrorContext {
  return {
    provider: model.provider,
    model: model.model,
    // Messages name the endpoint (retry lines, errors, logs): never with a password in it.
    baseUrl: withoutPassword(model.baseUrl),
    timeoutMs,
    ...(model.apiKey ? { apiKey: model.apiKey } : {}),
    ...(model.apiKeyEnv ? { apiKeyEnv: model.apiKeyEnv } : {}),
  }
}

export function timeoutError(ctx: ErrorContext, cause?: unknown): LlmError {
  const seconds = Math.round(ctx.timeoutMs / 100) / 10
  return new LlmError('timeout', `no response from ${ctx.baseUrl} within ${seconds}s`, { cause })
}

export function unreachableError(ctx: ErrorContext, cause: unknown): UnreachableError {
  const reason = connectionReason(cause)
  return new UnreachableError(`cannot reach ${ctx.baseUrl}${reason ? ` (${reason})` : ''}`, { cause })
}

/** Status and wording decide the kind; the message says who failed and what to do, never the key. */
export function classifyHttpError(failure: HttpFailure, ctx: ErrorContext, cause?: unknown): LlmError {
  const { status, code } = failure
  // Without its closing full stop: the message goes on (". Check OPENAI_API_KEY.", "; retrying").
  const detail = oneLine(redact(failure.message, ctx.apiKey)).replace(/[\s.;:,]+$/, '')
  const said = detail ? `: ${detail}` : ''
  const http = status === undefined ? '' : ` (HTTP ${status})`
  const options = { ...(status === undefined ? {} : { status }), cause }

  if (status === 401 || status === 403) {
    const hint = ctx.apiKeyEnv ? ` Check ${ctx.apiKeyEnv}.` : ''
    return new AuthError(`${ctx.provider} rejected the API key${http}${said}.${hint}`, options)
  }
  if (status === 404 || code === 'model_not_found') {
    // A bare 404 is as often a wrong base URL as a wrong model name.
    const hint = code === 'model_not_found' ? '' : ' (check the model name and the base URL)'
    return new ModelNotFoundError(
      `model "${ctx.model}" not found at ${ctx.provider}${http}${said}${hint}`,
      options,
    )
  }
  if (code === 'insufficient_quota') {
    // A 429 that no amount of waiting fixes: not retryable.
    return new LlmError('bad_request', `${ctx.provider} quota exhausted${http}${said}`, options)
  }
  if (status === 429 || code === 'rate_limit_exceeded') {
    const retryAfterMs = parseRetryAfter(failure.headers)
    return new RateLimitError(`rate limited by ${ctx.provider}${http}${said}`, {
      ...options,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }
  const clientError = status === undefined || status === 400 || status === 413 || status === 422
  if (clientError && looksLikeContextTooLong(code, failure.message)) {
    return new ContextTooLongError(`the conversation is too long for ${ctx.model}${said}`, options)
  }
  if (status === 408) return new LlmError('timeout', `${ctx.provider} timed out${http}${said}`, options)
  if (status !== undefined && status >= 400 && status < 500 && status !== 409) {
    return new LlmError('bad_request', `${ctx.provider} rejected the request${http}${said}`, options)
  }
  // Overloaded servers (503, Anthropic's 529) often say when to come back; that beats guessing.
  const retryAfterMs = parseRetryAfter(failure.headers)
  return new LlmError('server', `${ctx.provider} server error${http}${said}`, {
    ...options,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

/** OpenAI's body is `{message, type, code}` (the SDK unwraps it); the code says more than the type. */
function openAICode(error: { error?: unknown; code?: unknown }): string | undefined {
  return (typeof error.code === 'string' ? error.code : undefined) ?? stringField(error.error, 'type')
}

/** Anthropic's body is `{type: 'error', error: {type, message}}`: the inner error holds the message. */
export function innerError(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'type' in body && body.type === 'error' && 'error' in body)
    return body.error
  return body
}

export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined
  const field: unknown = Reflect.get(value, key)
  return typeof field === 'string' ? field : undefined
}

/**
 * The single funnel for adapter failures. `sdk` is the lazily loaded module, when it got that far;
 * abort and timeout caused by our own signal are decided by the caller, which knows which fired.
 */
export function toLlmError(
  error: unknown,
  ctx: ErrorContext,
  sdk: SdkErrors | undefined,
  codeOf: (error: { error?: unknown; code?: unknown }) => string | undefined = openAICode,
): LlmError {
  if (error instanceof LlmError) return error
  if (sdk) {
    if (error instanceof sdk.APIUserAbortError) return new AbortedError(undefined, { cause: error })
    if (error instanceof sdk.APIConnectionTimeoutError) return timeoutError(ctx, error)
    if (error instanceof sdk.APIConnectionError) return unreachableError(ctx, error)
    if (error instanceof sdk.APIError) {
      const code = codeOf(error)
      return classifyHttpError(
        {
          status: error.status,
          ...(code ? { code } : {}),
          message: serverMessage(innerError(error.error), error.message),
          ...(error.headers ? { headers: error.headers } : {}),
        },
        ctx,
        error,
      )
    }
  }
  if (error instanceof Error && error.name === 'AbortError')
    return new AbortedError(undefined, { cause: error })
  if (connectionReason(error) !== undefined) return unreachableError(ctx, error)
  if (error instanceof SyntaxError) {
    // The SDK throws this when a stream carries something that is not JSON: a broken proxy or server.
    return new LlmError('server', `${ctx.provider} sent a malformed stream: ${oneLine(error.message)}`, {
      cause: error,
    })
  }
  const text = error instanceof Error ? error.message : String(error)
  return new LlmError('server', `${ctx.provider} request failed: ${oneLine(redact(text, ctx.apiKey))}`, {
    cause: error,
  })
}
