/** The config file contract, derived from the key table so a new key is one entry in keys.ts. */
import { z } from 'zod'
import { CONFIG_KEYS, type ConfigKey, type ConfigKeyName } from './keys.js'

type ValueOf<K extends ConfigKeyName> = (typeof CONFIG_KEYS)[K] extends ConfigKey<infer T> ? T : never

/** A config file's content (and the merged result of every layer): every key optional. */
export type Config = { [K in ConfigKeyName]?: ValueOf<K> }

type Shape = { [K in ConfigKeyName]: z.ZodOptional<z.ZodType<ValueOf<K>>> }

let built: z.ZodObject<Shape, z.core.$strict> | undefined

/**
 * A config file's schema (every key of the table, optional). Unknown keys are errors: a typo must
 * not be silently ignored. Built on first use (reading a config file), like each key's schema.
 */
export function configSchema(): z.ZodObject<Shape, z.core.$strict> {
  built ??= z.strictObject(
    Object.fromEntries(
      Object.entries(CONFIG_KEYS).map(([name, spec]) => [name, (spec.schema as z.ZodType).optional()]),
    ) as Shape,
  )
  return built
}

/** The JSON Schema of a config file, for editors (`"$schema"`) and docs. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema(), { io: 'input' }) as Record<string, unknown>
}
