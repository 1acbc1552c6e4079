/** Small pure helpers that turn provider failures into safe, one-line user messages. */

/** Anything with a `get` for headers: a fetch `Headers`, or a plain lookup in tests. */
export interface HeaderLookup {
  get(name: string): string | null
}

/**
 * The wait a server asked for, in ms: `retry-after-ms` (OpenAI/Azure), else `retry-after` as
 * seconds (fractions accepted) or an HTTP date.
 */
export function parseRetryAfter(
  headers: HeaderLookup | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = headers?.get('retry-after-ms')
  if (ms) {
    const value = Number.parseFloat(ms)
    if (Number.isFinite(value) && value >= 0) return Math.round(value)
  }
  const header = headers?.get('retry-after')?.trim()
  if (!header) return undefined
  if (/^\d+(\.\d+)?$/.test(header)) return Math.round(Number.parseFloat(header) * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Strings that look like credentials (`sk-…`, `gsk_…`, `xai-…`, `AIza…`), whoever echoed them back. */
const KEY_LIKE = /\b(?:sk|gsk|xai|pk|key)[-_][A-Za-z0-9_\-*]{8,}|\bAIza[0-9A-Za-z_-]{20,}/g

/** The password of a URL's user info (`https://user:pass@host`): `$1` keeps `scheme://user:`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi

/** A URL as it may be shown or logged: a password in it becomes `[redacted]`. */
export function withoutPassword(url: string): string {
  return url.replace(URL_PASSWORD, '$1[redacted]@')
}

/** Removes the API key (and anything key-shaped, and URL passwords) from text shown or logged. */
export function redact(text: string, apiKey: string | undefined): string {
  let out = text
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]')
  return withoutPassword(out.replace(KEY_LIKE, '[redacted]'))
}

/** Collapses whitespace and bounds length, so a provider's multi-line HTML error stays one line. */
export function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The human part of an SDK error: the body's `error.message`, else the SDK message minus its status prefix. */
export function serverMessage(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return body.message
  }
  return fallback.replace(/^\d{3}\s+/, '')
}

const REASONS: Array<[RegExp, string]> = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'host not found'],
  [/ECONNRESET/, 'connection reset'],
  [/EHOSTUNREACH|ENETUNREACH/, 'network unreachable'],
  [/CERT_|_CERT|SSL|TLS|SELF_SIGNED/, 'TLS certificate problem'],
  // undici says `terminated` when the body breaks off, after the response had started.
  [/\bterminated\b/, 'connection closed mid-response'],
  [/other side closed|UND_ERR_SOCKET|socket hang up|EPIPE/i, 'connection closed'],
]

/** Walks an error's `cause` chain collecting codes and messages, to name a connection failure briefly. */
export function connectionReason(error: unknown): string | undefined {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string') parts.push(current.code)
    if ('message' in current && typeof current.message === 'string') parts.push(current.message)
    current = 'cause' in current ? current.cause : undefined
  }
  const text = parts.join(' ')
  for (const [pattern, reason] of REASONS) if (pattern.test(text)) return reason
  return undefined
}

/** Whether an error is a dropped or refused connection rather than an answer from the server. */
export function isConnectionFailure(error: unknown): boolean {
  return connectionReason(error) !== undefined
}

const CONTEXT_TOO_LONG =
  /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|input is too long|reduce the length/i

export function looksLikeContextTooLong(code: string | undefined, message: string): boolean {
  return code === 'context_length_exceeded' || CONTEXT_TOO_LONG.test(message)
}
