import type { LlmErrorKind } from './types.js'

/** A failure talking to a model, as a typed value: the kind says what the user can do about it. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind
  readonly status: number | undefined
  /** Seconds the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined

  constructor(
    kind: LlmErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'LlmError'
    this.kind = kind
    this.status = options.status
    this.retryAfterMs = options.retryAfterMs
  }

  /** Whether sending the same request again may succeed. */
  get retryable(): boolean {
    return (
      this.kind === 'rate_limited' ||
      this.kind === 'server' ||
      this.kind === 'unreachable' ||
      this.kind === 'timeout'
    )
  }
}

export class AuthError extends LlmError {
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('auth', message, options)
    this.name = 'AuthError'
  }
}

export class ModelNotFoundError extends LlmError {
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('model_not_found', message, options)
    this.name = 'ModelNotFoundError'
  }
}

export class RateLimitError extends LlmError {
  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super('rate_limited', message, options)
    this.name = 'RateLimitError'
  }
}

export class ContextTooLongError extends LlmError {
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('context_too_long', message, options)
    this.name = 'ContextTooLongError'
  }
}

export class UnreachableError extends LlmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('unreachable', message, options)
    this.name = 'UnreachableError'
  }
}

export class AbortedError extends LlmError {
  constructor(message = 'the request was aborted', options: { cause?: unknown } = {}) {
    super('aborted', message, options)
    this.name = 'AbortedError'
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return value instanceof LlmError
}

export type ModelConfigErrorCode = 'unknown_provider' | 'missing_api_key' | 'invalid_model'

/**
 * The model string or its configuration cannot be used, found before any request is made. The
 * message names exactly what to set or pass; it is meant to be shown to the user as is.
 */
export class ModelConfigError extends Error {
  readonly code: ModelConfigErrorCode

  constructor(code: ModelConfigErrorCode, message: string) {
    super(message)
    this.name = 'ModelConfigError'
    this.code = code
  }
}
