/**
 * docs/api.md: every JSON field name is snake_case. Store records are camelCase, so each one is
 * converted on its way out. Engine events are NOT converted (they are passed through as emitted).
 */

/** `messageCount` → `message_count`; already-snake or lower-case keys are unchanged. */
export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/** `message_count` → `messageCount` (for request bodies mapped onto store inputs). */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}

type SnakeKey<S extends string> = S extends `${infer Head}${infer Tail}`
  ? Head extends Lowercase<Head>
    ? `${Head}${SnakeKey<Tail>}`
    : `_${Lowercase<Head>}${SnakeKey<Tail>}`
  : S

/** The type of `toSnake(value)`: keys renamed deeply, arrays and primitives kept. */
export type Snake<T> = T extends readonly (infer U)[]
  ? Snake<U>[]
  : T extends Date
    ? string
    : T extends object
      ? { [K in keyof T as K extends string ? SnakeKey<K> : K]: Snake<T[K]> }
      : T

type CamelKey<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelKey<Tail>>}`
  : S

/** The type of `toCamel(value)`: keys renamed deeply, arrays and primitives kept. */
export type Camel<T> = T extends readonly (infer U)[]
  ? Camel<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelKey<K> : K]: Camel<T[K]> }
    : T

/** Deeply converts plain-object keys to snake_case (arrays are mapped; other values kept). */
export function toSnake<T>(value: T): Snake<T> {
  return convert(value, snakeKey) as Snake<T>
}

/** Deeply converts plain-object keys to camelCase. */
export function toCamel<T>(value: T): Camel<T> {
  return convert(value, camelKey) as Camel<T>
}

function convert(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, rename))
  if (value instanceof Date) return value.toISOString()
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue
    out[rename(key)] = convert(item, rename)
  }
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
