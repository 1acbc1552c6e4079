import type { LlmErrorKind, Usage } from '@penguin-ai/llm'

export type ProjectsErrorCode = 'plan_rejected' | 'model_error' | 'aborted'

/**
 * A failure of planning or execution the caller can explain to a user; `code` says which. Its own
 * class like the store's and the checkpoints' errors, on purpose: `instanceof` says which package
 * failed.
 */
export class ProjectsError extends Error {
  readonly code: ProjectsErrorCode
  constructor(code: ProjectsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ProjectsError'
    this.code = code
  }
}

/** Spending so far, carried by planning errors so callers can still report what a failure cost. */
export interface Spent {
  usage: Usage
  costUsd: number
}

/** The model kept submitting invalid plans (or none); nothing was stored. */
export class PlanRejectedError extends ProjectsError {
  readonly attempts: number
  /** The problems of the last attempt, as they were sent to the model. */
  readonly problems: string[]
  readonly spent: Spent
  constructor(attempts: number, problems: string[], spent: Spent) {
    super(
      'plan_rejected',
      `the model did not produce a valid plan in ${attempts} attempt${attempts === 1 ? '' : 's'}; last problems: ${problems.join('; ')}`,
    )
    this.name = 'PlanRejectedError'
    this.attempts = attempts
    this.problems = problems
    this.spent = spent
  }
}

/** The model could not be called (auth, unreachable, rate limits after retries, …) or was aborted. */
export class PlanModelError extends ProjectsError {
  readonly kind: LlmErrorKind
  readonly spent: Spent
  constructor(kind: LlmErrorKind, message: string, spent: Spent, cause?: unknown) {
    super(kind === 'aborted' ? 'aborted' : 'model_error', message, { cause })
    this.name = 'PlanModelError'
    this.kind = kind
    this.spent = spent
  }
}
