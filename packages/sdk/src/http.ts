/** The HTTP layer: URLs, auth, JSON in and out, and errors as `PenguinApiError`. */
import { errorFromResponse, PenguinApiError, unreachableError } from './errors.js'

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface ClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8787` (a trailing `/api/v1` is accepted). */
  baseUrl: string
  /** Bearer token (from `penguin token create`); none for a server started with `--no-auth`. */
  token?: string
  /** A fetch implementation; the platform's by default. */
  fetch?: FetchLike
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
}

export type QueryValue = string | number | boolean | string[] | undefined | null

export interface CallOptions {
  body?: unknown
  query?: Record<string, QueryValue> | undefined
  signal?: AbortSignal | undefined
  headers?: Record<string, string>
}

export class Transport {
  readonly baseUrl: string
  private readonly token: string | undefined
  private readonly fetchFn: FetchLike
  private readonly headers: Record<string, string>

  constructor(options: ClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl)
    this.token = options.token || undefined
    // Call the platform's fetch unbound-safe: browsers throw "Illegal invocation" otherwise.
    const custom = options.fetch
    this.fetchFn = custom ?? ((input, init) => globalThis.fetch(input, init))
    this.headers = { ...options.headers }
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue
      // Arrays repeat the key (`?scope=a&scope=b`); routes that want `a,b` join them first.
      if (Array.isArray(value)) for (const item of value) search.append(key, item)
      else search.set(key, String(value))
    }
    const qs = search.toString()
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`
  }

  /** Sends a request and returns the raw response when it is a 2xx; throws `PenguinApiError` otherwise. */
  async send(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    const url = this.url(path, options.query)
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.headers,
      ...options.headers,
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`
    const init: RequestInit = { method, headers }
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(options.body)
    }
    if (options.signal) init.signal = options.signal
    let response: Response
    try {
      response = await this.fetchFn(url, init)
    } catch (error) {
      if (options.signal?.aborted) throw abortReason(options.signal)
      throw unreachableError(this.baseUrl, error)
    }
    if (!response.ok) throw await errorFromResponse(response)
    return response
  }

  /** A JSON call: the parsed body (undefined for 204). */
  async json<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const response = await this.send(method, path, options)
    if (response.status === 204) return undefined as T
    const text = await response.text()
    if (!text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new PenguinApiError({
        status: response.status,
        code: 'invalid_response',
        message: `The server sent a body that is not JSON (${method} ${path})`,
        cause: error,
      })
    }
  }

  /** A text call (the graph in mermaid or dot, the docs page). */
  async text(method: string, path: string, options: CallOptions = {}): Promise<string> {
    const response = await this.send(method, path, { ...options, headers: { accept: '*/*' } })
    return response.text()
  }

  /** A call whose response has no body (204). */
  async empty(method: string, path: string, options: CallOptions = {}): Promise<void> {
    const response = await this.send(method, path, options)
    await response.body?.cancel()
  }
}

export function normalizeBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL (got "${raw}")`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http:// or https:// URL (got "${raw}")`)
  }
  let path = url.pathname.replace(/\/+$/, '')
  if (path.endsWith('/api/v1')) path = path.slice(0, -'/api/v1'.length)
  return `${url.origin}${path}`
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/** Encodes one path segment (ids are user input too). */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value))
}
