/**
 * Every failure of this package. `code` is stable so callers can map it (the CLI to an exit code,
 * the server to a status); the message says what happened and what the user can do about it. Each
 * package has its own error class on purpose: `instanceof` and `name` say which package failed, and
 * these packages share no dependency a base class could live in.
 */
export type CheckpointErrorCode =
  | 'git_missing'
  | 'not_a_directory'
  | 'unknown_commit'
  | 'git_failed'
  /** Reading or writing the workspace or the data directory failed (permissions, disk full). */
  | 'io_failed'

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode
  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CheckpointError'
    this.code = code
  }
}

/** Wraps a filesystem error so callers see one error type; `doing` reads like "deleting src/a.ts". */
export function ioError(doing: string, error: unknown): CheckpointError {
  const reason = error instanceof Error ? error.message : String(error)
  return new CheckpointError('io_failed', `${doing} failed: ${reason}`, { cause: error })
}
