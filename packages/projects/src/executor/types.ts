import type { EngineEvent, EngineOptions, RunOptions, RunResult } from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import type { AnyStore, Project, Task, TaskStatus } from '@penguin-ai/store'
import type { Workspace } from '@penguin-ai/tools'
import type { ProjectRole, RoleAgents } from '../roles/roles.js'
import type { VerifyResult } from './verify.js'

export type EngineSettings = Omit<EngineOptions, 'model' | 'workspace' | 'budget' | 'history'>

export interface RunProjectOptions {
  /** The SQLite store (its async face is used) or any AsyncStore, e.g. Postgres. */
  store: AnyStore
  /** A project id or name. */
  project: number | string
  model: ResolvedModel
  /** Where agents work when the project has no workspace of its own. */
  defaultWorkspace?: string
  /**
   * The workspace agents work in, already opened with what config allows (extra directories). The
   * CLI and server build it from the project's workspace config; by default the project's workspace
   * (else `defaultWorkspace`) is opened with nothing extra.
   */
  workspace?: Workspace
  /** Tasks without a verify command go to `done` instead of `review`. */
  autoApprove?: boolean
  /** Stop after this many tasks. */
  maxTasks?: number
  verifyTimeoutMs?: number
  /**
   * Run up to this many ready tasks at once, each in its own git worktree on `penguin/task-<id>`
   * (made from the branch checked out in the workspace), merging each back when it is verified.
   * Unset: tasks run one at a time in the workspace itself.
   */
  parallel?: number
  /** Where task worktrees go (default `<repository>/.penguin-worktrees`). */
  worktreesDir?: string
  /** The roles every task goes through (see PROJECT_ROLES); default `build` only. */
  roles?: readonly ProjectRole[]
  /** The agent (prompt, tools) each role runs as; a role without one runs as the plain engine. */
  roleAgents?: RoleAgents
  /** Passed to every task's engine: tools, policy, askPermission, autoApprove, stream, … */
  engine?: EngineSettings
  signal?: AbortSignal
  onEvent?: (event: ProjectRunEvent) => void
  /**
   * How a task's agent is created; by default a plain `Engine`. The CLI and server pass one that
   * binds the engine to a stored session, so every task run is a resumable, checkpointed session.
   */
  createAgent?: (
    options: EngineOptions,
    context: {
      project: Project
      task: Task
      role: ProjectRole
      /**
       * The task's git worktree in a parallel run: its branch gets a commit after every role, so
       * per-turn workspace checkpoints would only copy what git already keeps.
       */
      worktree?: string
    },
  ) => Promise<TaskAgent>
  /**
   * Applied to the text a run stores (its final text and error, the task's summary, a failed
   * verify command's output, a merge conflict) so secrets stay out of the database; by default the
   * values of credential-named variables of `process.env`, key shapes and URL passwords become
   * `[REDACTED]`.
   */
  redact?: (text: string) => string
}

/** What runs one task: an engine, possibly recorded. */
export interface TaskAgent {
  run(prompt: string, options: RunOptions): Promise<RunResult>
  /** May return a promise: the run waits for it (a stored session writes what is left). */
  close(): void | Promise<void>
}

export interface TaskOutcome {
  task: Task
  index: number
  total: number
  status: TaskStatus
  tokens: number
  costUsd: number
  durationMs: number
  /** Why it failed, was blocked or went to review, in words. */
  reason?: string
  /**
   * Machine-readable: budget_exceeded, max_iterations, agent_failed, verify_failed, interrupted,
   * merge_conflict, review_objections, split.
   */
  code?: string
  verify?: VerifyResult
  /** Parallel runs: the task's branch (kept unless it was merged). */
  branch?: string
  /** Parallel runs: the task's worktree (kept unless it was merged). */
  worktree?: string
}

export type ProjectRunEvent =
  | { type: 'project.started'; project: Project; reset: Task[]; total: number; parallel?: number }
  | { type: 'task.started'; task: Task; index: number; total: number; worktree?: string; branch?: string }
  | { type: 'task.role'; task: Task; role: ProjectRole }
  | { type: 'task.agent'; task: Task; role: ProjectRole; event: EngineEvent }
  | { type: 'task.split'; task: Task; subtasks: Task[] }
  | { type: 'task.verifying'; task: Task; command: string }
  | { type: 'task.merged'; task: Task; branch: string; commit: string | null }
  | ({ type: 'task.finished' } & TaskOutcome)
  | ({ type: 'project.finished' } & ProjectRunResult)

export type ProjectRunStatus = 'completed' | 'stopped' | 'budget_exhausted' | 'failed' | 'aborted'

export interface ProjectRunResult {
  status: ProjectRunStatus
  /** One sentence for the user: why the run ended. */
  message: string
  outcomes: TaskOutcome[]
  counts: Record<TaskStatus, number>
  tokens: number
  costUsd: number
  durationMs: number
}
