/**
 * Errors a caller can act on. `code` is stable (the CLI maps every StoreError to exit 2, the server
 * to a 4xx status); messages name the offending record and say what to do. Each package has its own
 * error class on purpose: `instanceof` and `name` say which package failed, and these packages
 * share no dependency a base class could live in.
 */
export type StoreErrorCode =
  | 'not_found'
  | 'invalid_transition'
  | 'dependency_not_done'
  | 'cycle'
  | 'validation'
  | 'conflict'
  | 'plan_invalid'
  | 'database'

export class StoreError extends Error {
  readonly code: StoreErrorCode
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
    this.code = code
  }
}

/** `task 42 not found`, `project "web" not found`. */
export class NotFoundError extends StoreError {
  readonly entity: 'project' | 'task' | 'run' | (string & {})
  readonly ref: number | string
  constructor(entity: NotFoundError['entity'], ref: number | string) {
    super('not_found', `${entity} ${typeof ref === 'number' ? ref : JSON.stringify(ref)} not found`)
    this.name = 'NotFoundError'
    this.entity = entity
    this.ref = ref
  }
}

export class InvalidTransitionError extends StoreError {
  readonly taskId: number
  readonly from: string
  readonly to: string
  constructor(taskId: number, from: string, to: string, allowed: readonly string[]) {
    super(
      'invalid_transition',
      `task ${taskId} cannot go from ${from} to ${to}; from ${from} it can go to ${allowed.length ? allowed.join(', ') : 'nothing (final)'}`,
    )
    this.name = 'InvalidTransitionError'
    this.taskId = taskId
    this.from = from
    this.to = to
  }
}

export class DependencyNotDoneError extends StoreError {
  readonly taskId: number
  readonly blockers: number[]
  constructor(taskId: number, blockers: { id: number; status: string }[]) {
    super(
      'dependency_not_done',
      `task ${taskId} cannot start: it depends on ${blockers.map((b) => `task ${b.id} (${b.status})`).join(', ')}, which must be done first`,
    )
    this.name = 'DependencyNotDoneError'
    this.taskId = taskId
    this.blockers = blockers.map((b) => b.id)
  }
}

export class CycleError extends StoreError {
  /** The cycle as a path of ids, first repeated at the end: [3, 5, 3]. */
  readonly cycle: number[]
  constructor(cycle: number[]) {
    super('cycle', `dependency would create a cycle: ${cycle.map((id) => `task ${id}`).join(' → ')}`)
    this.name = 'CycleError'
    this.cycle = cycle
  }
}

/** Input that breaks a rule: empty title, negative budget, a parent in another project, … */
export class ValidationError extends StoreError {
  readonly field: string | undefined
  constructor(message: string, field?: string) {
    super('validation', message)
    this.name = 'ValidationError'
    this.field = field
  }
}

/** A unique constraint: a project name already taken. */
export class ConflictError extends StoreError {
  constructor(message: string) {
    super('conflict', message)
    this.name = 'ConflictError'
  }
}

/**
 * A write fenced by a run's lease (AppendOptions.fence) whose lease is no longer held by the writer:
 * the run was taken back (a missed heartbeat) and goes on elsewhere. Nothing was written.
 */
export class LeaseLostError extends StoreError {
  readonly runId: string
  constructor(runId: string) {
    super(
      'conflict',
      `run ${runId} is no longer held by this worker (its lease was taken back and the run goes on elsewhere): nothing was stored`,
    )
    this.name = 'LeaseLostError'
    this.runId = runId
  }
}

export class PlanError extends StoreError {
  readonly problems: string[]
  constructor(problems: string[]) {
    super('plan_invalid', `the plan is invalid: ${problems.join('; ')}`)
    this.name = 'PlanError'
    this.problems = problems
  }
}

/**
 * A database Penguin cannot use as it is: `damaged` (not an SQLite file, or corrupt) or `newer` (its
 * schema comes from a newer Penguin). Nothing is changed in it; the CLI exits 2 with the message.
 */
export class UnusableDatabaseError extends StoreError {
  readonly reason: 'damaged' | 'newer'
  readonly path: string | undefined
  constructor(
    reason: 'damaged' | 'newer',
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super('database', message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'UnusableDatabaseError'
    this.reason = reason
    this.path = options.path
  }
}

/** Whether an SQLite error says the file is not a database or is corrupt. */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
}
