/**
 * Secrets never leave through telemetry: every log record, span attribute, span event and error
 * message that passes through this package is redacted first.
 *
 * - Patterns: provider keys (`sk-…`, `sk-ant-…`, `gsk_…`, `xai-…`, `AIza…`, GitHub tokens), Penguin
 *   API tokens (`pgn_…`) and `Bearer …` / `Basic …` credentials.
 * - Passwords in URLs (`https://user:pass@host` → `https://user:[REDACTED]@host`).
 * - Literal values: whatever is in an environment variable whose name looks like a credential —
 *   ending in `_API_KEY`, `_TOKEN` or `_KEY_ID`, or containing `SECRET`, `PASSWORD`, `PASSWD`
 *   (`AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD_FILE`…), six characters or more — wherever it appears.
 * - Keys: in objects, the values of `authorization`, `cookie`, `api_key`, `*_token`, `*_secret`, …
 *   are replaced whole, whatever they look like.
 */

export const REDACTED = '[REDACTED]'

/** Values shorter than this are not treated as secrets (they would match ordinary text). */
const MIN_SECRET_LENGTH = 6
const SECRET_ENV = /(?:_API_KEY|_TOKEN|_KEY_ID)$|SECRET|PASSWORD|PASSWD/i
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|password|passwd|secret|token|access[-_]?token|refresh[-_]?token|client[-_]?secret|.*[-_](?:api[-_]?key|token|secret|password))$/i

/** Token shapes, each replaced by what it starts with plus the marker (`sk-[REDACTED]`). */
const PATTERNS: ReadonlyArray<{ pattern: RegExp; keep: string }> = [
  { pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi, keep: '$1 ' },
  // Basic credentials are base64: a digit, `+`, `/` or `=` tells them from a word ("Basic setup").
  { pattern: /\b(Basic)\s+(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}/g, keep: '$1 ' },
  { pattern: /\bsk-[A-Za-z0-9_-]{6,}/g, keep: 'sk-' },
  { pattern: /\bpgn_[A-Za-z0-9_-]{6,}/g, keep: 'pgn_' },
  { pattern: /\b(gh[pousr]_|github_pat_|gsk_|xai-|glpat-|hf_)[A-Za-z0-9_-]{10,}/g, keep: '$1' },
  { pattern: /\bAIza[A-Za-z0-9_-]{20,}/g, keep: 'AIza' },
  // The password of a URL's user info; `$1` keeps `scheme://user:`, the `@` is put back.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+(?=@)/gi, keep: '$1' },
]

export interface RedactorOptions {
  /** Where secret values are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>
  /** More literal secrets, e.g. a token the server was given on its command line. */
  secrets?: Iterable<string>
}

export interface Redactor {
  /** A string with every secret replaced by `[REDACTED]`. */
  text(value: string): string
  /**
   * Any value, redacted deeply: strings by pattern and literal, object values by key too. Errors
   * become `{type, message, stack}` with message and stack redacted. Returns the input when clean.
   */
  value<T>(value: T): T
}

const MAX_DEPTH = 8

/** A redactor over the secrets of `options.env` (read once, now) and `options.secrets`. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const literals = secretValues(options.env ?? process.env, options.secrets)
  const text = (value: string): string => {
    if (value.length < MIN_SECRET_LENGTH) return value
    let out = value
    for (const secret of literals) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    for (const { pattern, keep } of PATTERNS) {
      pattern.lastIndex = 0
      if (pattern.test(out)) {
        pattern.lastIndex = 0
        out = out.replace(pattern, `${keep}${REDACTED}`)
      }
    }
    return out
  }
  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value)
    if (value === null || typeof value !== 'object') return value
    if (depth >= MAX_DEPTH) return '[…]'
    if (value instanceof Error) {
      return {
        type: value.name,
        message: text(value.message),
        ...(value.stack ? { stack: text(value.stack) } : {}),
      }
    }
    if (Array.isArray(value)) {
      let changed = false
      const out = value.map((item) => {
        const next = deep(item, depth + 1)
        if (next !== item) changed = true
        return next
      })
      return changed ? out : value
    }
    let changed = false
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const next =
        typeof item === 'string' && SECRET_KEY.test(key) && item.length > 0 ? REDACTED : deep(item, depth + 1)
      if (next !== item) changed = true
      out[key] = next
    }
    return changed ? out : value
  }
  return { text, value: <T>(value: T) => deep(value, 0) as T }
}

/** Secret literals, longest first so a secret containing another is replaced whole. */
function secretValues(
  env: Record<string, string | undefined>,
  extra: Iterable<string> | undefined,
): string[] {
  const found = new Set<string>()
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim()
    if (trimmed && trimmed.length >= MIN_SECRET_LENGTH && SECRET_ENV.test(name)) found.add(trimmed)
  }
  for (const value of extra ?? []) if (value.trim().length >= MIN_SECRET_LENGTH) found.add(value.trim())
  return [...found].sort((a, b) => b.length - a.length)
}

let shared: Redactor | undefined

/** The process-wide redactor (secrets from `process.env` as it was at first use). */
export function defaultRedactor(): Redactor {
  shared ??= createRedactor()
  return shared
}

/** Forget the process-wide redactor so the next use reads `process.env` again (tests, late secrets). */
export function resetRedaction(): void {
  shared = undefined
}

/** Redacts any value with the process-wide redactor: see `Redactor.value`. */
export function redact<T>(value: T): T {
  return defaultRedactor().value(value)
}

/** Redacts a string with the process-wide redactor. */
export function redactText(value: string): string {
  return defaultRedactor().text(value)
}
