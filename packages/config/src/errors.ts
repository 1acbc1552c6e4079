/**
 * What can be wrong with a configuration, as values a caller maps to its own surface: the CLI prints
 * the message and exits 2, the server answers 422. Messages name the file and the key.
 */
export type ConfigErrorKind =
  /** A config file that cannot be read, is not JSON, or breaks the schema. */
  | 'invalid_file'
  /** A value that parses but cannot be used: an allowed path that does not exist, a bad model. */
  | 'invalid_value'
  /** No model anywhere: flags, environment, config files. */
  | 'no_model'
  /** The workspace directory itself is missing or not a directory. */
  | 'workspace'
  /** The OS sandbox cannot start here (no bubblewrap, no user namespaces, an unsupported system). */
  | 'sandbox'

export class ConfigError extends Error {
  readonly kind: ConfigErrorKind
  /** The config file at fault, when one is. */
  readonly file: string | undefined
  /** The key at fault (`allowedPaths[0]`, `budget.maxTokens`), when one is. */
  readonly key: string | undefined
  /** The values the key may take, when they are a known few (the agents there are, for `agent`). */
  readonly choices: readonly string[] | undefined

  constructor(
    kind: ConfigErrorKind,
    message: string,
    where: { file?: string; key?: string; choices?: readonly string[] } = {},
  ) {
    super(message)
    this.name = 'ConfigError'
    this.kind = kind
    this.file = where.file
    this.key = where.key
    this.choices = where.choices
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError
}
