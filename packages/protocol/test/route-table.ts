/**
 * docs/api.md's route table, rendered from the declarations: one row per route with its input (body
 * fields or query parameters, `?` marking optional ones), its success answer, the errors it adds
 * to the common ones, and what it does.
 */
import { z } from 'zod'
import { fullPath, type RouteDeclaration } from '../src/api.js'

export function routeTable(routes: readonly RouteDeclaration[]): string {
  const rows = [
    '| route | input | success | errors | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...routes.map((route) =>
      row([
        code(`${route.method.toUpperCase()} ${fullPath(route)}`),
        input(route),
        success(route),
        (route.errors ?? []).join(', '),
        route.notes ? `${route.summary}. ${route.notes}` : route.summary,
      ]),
    ),
  ]
  return rows.join('\n')
}

function row(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`
}

function code(text: string): string {
  return `\`${text}\``
}

function input(route: RouteDeclaration): string {
  const parts: string[] = []
  if (route.body) parts.push(code(fields(route.body)))
  if (route.query) {
    const fields = Object.entries(route.query.shape)
    parts.push(code(`?${fields.map(([name]) => `${name}=`).join('&')}`))
    const required = fields.filter(([, field]) => !optional(field as z.ZodType)).map(([name]) => name)
    if (required.length) parts.push(`(${required.join(', ')} required)`)
  }
  return parts.join(' ')
}

function success(route: RouteDeclaration): string {
  const { status, schema, contentType } = route.response
  if (!schema) return String(status)
  if (contentType && contentType !== 'application/json') return `${status} ${contentType}`
  return `${status} ${code(shape(schema, 1))}`
}

/** A body's fields even when it has a name: `{workspace, model?}`. */
function fields(schema: z.ZodType): string {
  const inner = unwrap(schema)
  return inner instanceof z.ZodObject ? shape(z.object(inner.shape), 1) : shape(inner, 1)
}

/** A schema's name when it has one (`Session`), else its keys one level down: `{items: Session[]}`. */
function shape(schema: z.ZodType, depth: number): string {
  const inner = unwrap(schema)
  const id = z.globalRegistry.get(inner)?.id ?? z.globalRegistry.get(schema)?.id
  if (id) return id
  if (inner instanceof z.ZodArray) return `${shape(inner.element as z.ZodType, depth)}[]`
  if (inner instanceof z.ZodObject) {
    const keys = Object.entries(inner.shape).map(([name, field]) => {
      const mark = optional(field as z.ZodType) ? '?' : ''
      const nested = depth > 0 ? named(field as z.ZodType) : undefined
      return nested ? `${name}${mark}: ${nested}` : `${name}${mark}`
    })
    return `{${keys.join(', ')}}`
  }
  if (inner instanceof z.ZodLiteral) return JSON.stringify(inner.value)
  return 'JSON'
}

/** `Session`, `Session[]` or `"ok"` for a field worth naming in a table; undefined for plain values. */
function named(field: z.ZodType): string | undefined {
  const inner = unwrap(field)
  if (z.globalRegistry.get(inner)?.id || inner instanceof z.ZodLiteral) return shape(inner, 0)
  if (inner instanceof z.ZodArray && z.globalRegistry.get(unwrap(inner.element as z.ZodType))?.id)
    return shape(inner, 0)
  return undefined
}

function optional(field: z.ZodType): boolean {
  return field.safeParse(undefined).success
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  )
    current = current.unwrap() as z.ZodType
  return current
}
