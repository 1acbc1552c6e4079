import type { ServerResponse } from 'node:http'

const DOCS = 'https://docs.github.com/rest'

/** An answer of the fake: status, JSON body and extra headers. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message)
  }
}

/** GitHub's error body: `{ message, errors?, documentation_url, status }` (status as a string). */
export function errorBody(error: ApiError): unknown {
  return {
    message: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    documentation_url: DOCS,
    status: String(error.status),
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found')

export function validationFailed(...errors: unknown[]): ApiError {
  return new ApiError(422, 'Validation Failed', errors)
}

export function missingField(resource: string, field: string): ApiError {
  return validationFailed({ resource, code: 'missing_field', field })
}

export function send(response: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body)
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    ...reply.headers,
  })
  response.end(text)
}

/**
 * One page of `items` and GitHub's `Link` header (`rel="next"`, `"last"`, `"first"`, `"prev"`):
 * `per_page` defaults to 30, at most 100.
 */
export function page<T>(items: T[], url: URL): Reply {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30))
  const current = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number) => {
    const target = new URL(url)
    target.searchParams.set('per_page', String(perPage))
    target.searchParams.set('page', String(n))
    return target.href
  }
  const rels: string[] = []
  if (current < last) rels.push(`<${link(current + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`)
  if (current > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(current - 1)}>; rel="prev"`)
  return {
    status: 200,
    body: items.slice((current - 1) * perPage, current * perPage),
    ...(rels.length ? { headers: { link: rels.join(', ') } } : {}),
  }
}
