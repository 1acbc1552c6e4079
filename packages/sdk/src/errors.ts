/**
 * Every failed call throws a `PenguinApiError`: the server's `{error: {code, message, details?}}`
 * with the HTTP status, or status 0 with code `unreachable` when no response came at all.
 */
export class PenguinApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number
  /** The stable code of docs/api.md (`not_found`, `conflict`, …) or `unreachable`. */
  readonly code: string
  /** E.g. `{issues: [{path, message}]}` for `invalid_request`. */
  readonly details: unknown
  /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined

  constructor(init: {
    status: number
    code: string
    message: string
    details?: unknown
    retryAfter?: number | undefined
    cause?: unknown
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'PenguinApiError'
    this.status = init.status
    this.code = init.code
    this.details = init.details
    this.retryAfter = init.retryAfter
  }
}

const CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
}

/** The code for a status when the body does not say (a proxy's error page, an empty body). */
export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal' : 'http_error')
}

/** `Retry-After` in seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, Math.ceil((date - now) / 1000))
}

/** Builds the error for a non-2xx response, reading its body. */
export async function errorFromResponse(response: Response): Promise<PenguinApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  let text = ''
  try {
    text = await response.text()
  } catch {
    // The body is lost: the status still says what happened.
  }
  let code = codeForStatus(response.status)
  let message = text.trim().slice(0, 500) || `HTTP ${response.status} ${response.statusText}`.trim()
  let details: unknown
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } }
    const error = body?.error
    if (error && typeof error === 'object') {
      if (typeof error.code === 'string') code = error.code
      if (typeof error.message === 'string') message = error.message
      details = error.details
    }
  } catch {
    // Not JSON: keep the text.
  }
  return new PenguinApiError({ status: response.status, code, message, details, retryAfter })
}

/** The error for a request that got no response (refused, reset, DNS, …). */
export function unreachableError(url: string, cause: unknown): PenguinApiError {
  const reason = describeCause(cause)
  return new PenguinApiError({
    status: 0,
    code: 'unreachable',
    message: `Cannot reach the Penguin server at ${url}${reason ? `: ${reason}` : ''}`,
    cause,
  })
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return ''
  // Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, …) in `cause`.
  const inner = (cause as Error & { cause?: unknown }).cause
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: unknown }).code
    return typeof code === 'string' ? `${code} (${inner.message})` : inner.message
  }
  return cause.message
}
