/**
 * What can stop a benchmark run, as typed values. Per-problem failures (a wrong answer, a timeout, a
 * model error on one sample) are results, not errors: they are recorded and the run goes on.
 */
export type BenchErrorKind =
  /** Bad flags or options: a missing file, a conflicting results directory. */
  | 'usage'
  /** An input file that is not what it claims (bad JSONL, a record missing fields). */
  | 'data'
  /** Something the machine lacks: python3, git, a network to download the dataset. */
  | 'environment'
  /** The model cannot be used at all (bad key, unknown model): every further call would fail too. */
  | 'model'

export class BenchError extends Error {
  readonly kind: BenchErrorKind

  constructor(kind: BenchErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BenchError'
    this.kind = kind
  }
}

export function isBenchError(value: unknown): value is BenchError {
  return value instanceof BenchError
}

/** The message of anything thrown, for records and one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
