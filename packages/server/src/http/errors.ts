/**
 * One place turns every failure into docs/api.md's `{error: {code, message, details?}}` with its
 * status: route modules just throw (HttpError, StoreError, ModelConfigError, ZodError) and this
 * handler answers. Anything unexpected is a 500 with a generic message: internals stay in the log.
 */
import { ConfigError } from '@penguin-ai/config'
import { ModelConfigError } from '@penguin-ai/llm'
import { StoreError, type StoreErrorCode } from '@penguin-ai/store'
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { HttpError } from '../deps.js'
import { zodIssues } from './validate.js'

/** The stable code for each status (docs/api.md's error table). */
export const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } }
}

/** Store error codes → status. docs/api.md: 409 invalid transition, cycle, taken name; 422 dependency not done. */
const STORE_STATUS: Record<StoreErrorCode, number> = {
  not_found: 404,
  invalid_transition: 409,
  dependency_not_done: 422,
  cycle: 409,
  conflict: 409,
  validation: 400,
  plan_invalid: 422,
  database: 500,
}

/** Any thrown value as the HttpError the client sees (500s carry no internals). */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  if (error instanceof ZodError) {
    return new HttpError(400, 'invalid_request', 'invalid request', { issues: zodIssues(error) })
  }
  if (error instanceof StoreError) return fromStoreError(error)
  if (error instanceof ConfigError) return configHttpError(error)
  if (error instanceof ModelConfigError) {
    return new HttpError(422, 'unprocessable', error.message, { reason: error.code })
  }
  if (error instanceof HTTPException) {
    const status = error.status
    if (status >= 500) return internal()
    return new HttpError(
      status,
      STATUS_CODES[status] ?? 'invalid_request',
      error.message || 'request refused',
    )
  }
  return internal()
}

/** A ConfigError as the 422 a client can act on (it names the file and the key); anything else unchanged. */
export function configHttpError(error: ConfigError): HttpError {
  if (error.kind === 'no_model') {
    return new HttpError(
      422,
      'unprocessable',
      'no model: the session names none, its workspace config names none, and the server has no default (start it with --model)',
      { reason: 'no_model' },
    )
  }
  return new HttpError(422, 'unprocessable', error.message, {
    reason: error.kind,
    ...(error.file ? { file: error.file } : {}),
    ...(error.key ? { key: error.key } : {}),
    ...(error.choices ? { choices: error.choices } : {}),
  })
}

function fromStoreError(error: StoreError): HttpError {
  const status = STORE_STATUS[error.code] ?? 500
  if (status === 500) return internal()
  const code = STATUS_CODES[status] ?? 'internal'
  if (error.code === 'validation') {
    const field = 'field' in error && typeof error.field === 'string' ? snakePath(error.field) : ''
    return new HttpError(status, code, error.message, { issues: [{ path: field, message: error.message }] })
  }
  const extra: Record<string, unknown> = { reason: error.code }
  if ('problems' in error && Array.isArray(error.problems)) extra.problems = error.problems
  if ('cycle' in error && Array.isArray(error.cycle)) extra.cycle = error.cycle
  if ('blockers' in error && Array.isArray(error.blockers)) extra.blockers = error.blockers
  return new HttpError(status, code, error.message, extra)
}

function snakePath(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

function internal(): HttpError {
  return new HttpError(500, 'internal', 'internal server error')
}

/** Writes an HttpError as the JSON error body with its status (and keeps any headers set so far). */
export function sendError(c: Context, error: HttpError): Response {
  return c.json(errorBody(error.code, error.message, error.details), error.status as ContentfulStatusCode)
}

/**
 * The app's `onError`. `log` receives unexpected errors (status 500) so operators can see them;
 * the client never does. It gets the request's context too, for the ids worth logging with them.
 */
export function errorHandler(log: (error: unknown, c: Context) => void = defaultLog): ErrorHandler {
  return (error, c) => {
    const http = toHttpError(error)
    if (http.status >= 500 && !(error instanceof HttpError)) log(error, c)
    return sendError(c, http)
  }
}

function defaultLog(error: unknown): void {
  process.stderr.write(
    `penguin server: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
}

/** `404 not_found` for an unknown route. */
export function notFoundHandler(c: Context): Response {
  return sendError(c, new HttpError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))
}
