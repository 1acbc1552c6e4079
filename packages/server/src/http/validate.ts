/**
 * Request parsing with zod as the contract: any failure is a 400 `invalid_request` whose
 * `details.issues` lists `{path, message}` with dotted paths (`tasks.2.title`), as docs/api.md says.
 */
import type { Context } from 'hono'
import type { z } from 'zod'
import { HttpError } from '../deps.js'

export interface Issue {
  path: string
  message: string
}

/** zod issues as docs/api.md's `[{path, message}]`; the root is the empty path. */
export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => String(part)).join('.'),
    message: issue.message,
  }))
}

export function invalidRequest(message: string, issues: Issue[] = []): HttpError {
  return new HttpError(400, 'invalid_request', message, { issues })
}

/** Validates any value; `where` names it in the message ("body", "query"). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = zodIssues(result.error)
  const first = issues[0]
  const summary = first ? `${first.path || where}: ${first.message}` : 'invalid'
  throw invalidRequest(`invalid ${where}: ${summary}`, issues)
}

/**
 * The JSON body validated by `schema`. An empty body counts as `{}` so routes whose fields are all
 * optional accept a bare POST; malformed JSON is a 400 too.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text()
  let value: unknown = {}
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text)
    } catch {
      throw invalidRequest('malformed JSON body')
    }
  }
  return parseWith(schema, value, 'body')
}

/** The query string validated by `schema` (values are strings: use `z.coerce` for numbers). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query(), 'query')
}

/** A path parameter validated by `schema` (e.g. `z.coerce.number().int().positive()`). */
export function parseParam<S extends z.ZodType>(c: Context, name: string, schema: S): z.output<S> {
  const result = schema.safeParse(c.req.param(name))
  if (result.success) return result.data
  throw invalidRequest(`invalid path parameter ${name}`, [
    { path: name, message: result.error.issues[0]?.message ?? 'invalid' },
  ])
}
