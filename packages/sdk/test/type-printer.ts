/**
 * Prints TypeScript declarations from the protocol's zod schemas: what `z.output` (records) or
 * `z.input` (request bodies) would infer, written out so the published SDK needs neither zod nor
 * the (private) protocol package. Schemas named in `names` are referred to by that name; field
 * descriptions become doc comments.
 */
import { z } from 'zod'

export type Mode = 'output' | 'input'
export interface Named {
  name: string
  schema: z.ZodType
  mode: Mode
}

interface Def {
  type: string
  [key: string]: unknown
}

const def = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def

function description(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema
  while (current) {
    const text = z.globalRegistry.get(current)?.description ?? current.description
    if (text) return text
    const d = def(current)
    current = ['optional', 'nullable', 'default'].includes(d.type) ? (d.innerType as z.ZodType) : undefined
  }
  return undefined
}

function comment(text: string | undefined, indent: string): string {
  if (!text) return ''
  const sentence = text[0]!.toUpperCase() + text.slice(1)
  return `${indent}/** ${sentence.replaceAll('*/', '*\\/')}${/[.!?)]$/.test(sentence) ? '' : '.'} */\n`
}

/** As Biome writes it: single quotes. */
function literal(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value)
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

export class TypePrinter {
  constructor(
    /** By a schema's definition, which `.meta()` / `.describe()` copies keep. */
    private readonly names: ReadonlyMap<unknown, string>,
    private readonly mode: Mode,
  ) {}

  /** `export interface X {…}` for an object, else `export type X = …`. */
  declaration(name: string, schema: z.ZodType, doc?: string): string {
    const d = def(schema)
    const head = comment(doc ?? description(schema), '')
    if (d.type === 'object') return `${head}export interface ${name} ${this.object(schema, '')}\n`
    return `${head}export type ${name} = ${this.type(schema, '', true)}\n`
  }

  type(schema: z.ZodType, indent: string, top = false): string {
    const named = top ? undefined : this.names.get(def(schema))
    if (named) return named
    const d = def(schema)
    switch (d.type) {
      case 'string':
        return 'string'
      case 'number':
      case 'int':
        return 'number'
      case 'boolean':
        return 'boolean'
      case 'null':
        return 'null'
      case 'undefined':
        return 'undefined'
      case 'unknown':
      case 'any':
        return 'unknown'
      case 'literal':
        return (d.values as unknown[]).map(literal).join(' | ')
      case 'enum':
        return Object.values(d.entries as Record<string, string>)
          .map(literal)
          .join(' | ')
      case 'array':
        return `${this.wrap(this.type(d.element as z.ZodType, indent))}[]`
      case 'tuple':
        return `[${(d.items as z.ZodType[]).map((item) => this.type(item, indent)).join(', ')}]`
      case 'record':
        return `Record<${this.type(d.keyType as z.ZodType, indent)}, ${this.type(d.valueType as z.ZodType, indent)}>`
      case 'nullable':
        return `${this.type(d.innerType as z.ZodType, indent)} | null`
      case 'optional':
        return `${this.type(d.innerType as z.ZodType, indent)} | undefined`
      case 'default':
        return this.type(d.innerType as z.ZodType, indent)
      case 'pipe':
        return this.type((this.mode === 'output' ? d.out : d.in) as z.ZodType, indent)
      case 'intersection':
        return `${this.wrap(this.type(d.left as z.ZodType, indent))} & ${this.wrap(this.type(d.right as z.ZodType, indent))}`
      case 'union': {
        const options = (d.options as z.ZodType[]).map((option) => this.type(option, `${indent}  `))
        return top ? `\n${options.map((option) => `  | ${option}`).join('\n')}` : options.join(' | ')
      }
      case 'object':
        return this.object(schema, indent)
      default:
        throw new Error(`no TypeScript for a zod ${d.type}`)
    }
  }

  private object(schema: z.ZodType, indent: string): string {
    const shape = (def(schema).shape ?? {}) as Record<string, z.ZodType>
    const inner = `${indent}  `
    const lines = Object.entries(shape).map(([key, field]) => {
      const d = def(field)
      const optional = d.type === 'optional' || (this.mode === 'input' && d.type === 'default')
      const type = this.type(optional ? (d.innerType as z.ZodType) : field, inner)
      return `${comment(description(field), inner)}${inner}${key}${optional ? '?' : ''}: ${type}`
    })
    // z.looseObject: any other key may be there too (z.strictObject's `never`: none).
    const rest = def(schema).catchall as z.ZodType | undefined
    if (rest && def(rest).type !== 'never') lines.push(`${inner}[key: string]: ${this.type(rest, inner)}`)
    return `{\n${lines.join('\n')}\n${indent}}`
  }

  private wrap(type: string): string {
    return /[|&]/.test(type) && !type.startsWith('{') ? `(${type})` : type
  }
}

/**
 * The file: declarations in the given order, each referring to the others (and to `external`
 * types the file imports) by name.
 */
export function printTypes(
  header: string,
  entries: readonly Named[],
  external: readonly Omit<Named, 'mode'>[] = [],
): string {
  const names = new Map<unknown, string>(
    [...external, ...entries].map((entry) => [def(entry.schema), entry.name]),
  )
  const blocks = entries.map((entry) =>
    new TypePrinter(names, entry.mode).declaration(entry.name, entry.schema),
  )
  return `${header}\n${blocks.join('\n')}`
}
