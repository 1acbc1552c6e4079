/**
 * A schema built the first time it is asked for, then kept. Config schemas are defined this way so
 * that importing the package builds none of them: `penguin run` imports it before its first model
 * request and, without config files, needs almost none.
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined
  return () => {
    schema ??= build()
    return schema
  }
}
