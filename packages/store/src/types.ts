import type { Checkpoint, Session, SessionOperations } from './session-types.js'
import type { TokenOperations } from './token-types.js'

/**
 * The store's contract: plain data records and the operations on them. The SQLite implementation
 * and a future Postgres one both satisfy `Store` / `AsyncStore`; callers depend on nothing else.
 * Timestamps are ISO-8601 strings (UTC); ids are positive integers.
 */

import { PROJECT_STATUSES, type ProjectStatus, TASK_STATUSES, type TaskStatus } from '@penguin-ai/protocol'

export { PROJECT_STATUSES, type ProjectStatus, TASK_STATUSES, type TaskStatus }

export const RUN_STATUSES = [
  'running',
  'completed',
  'failed',
  'aborted',
  'max_iterations',
  'budget_exceeded',
] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export interface Project {
  id: number
  /** Unique; CLI commands accept a project's name or id. */
  name: string
  description: string | null
  /** Absolute path of the directory agents work in; null means "wherever the caller is". */
  workspace: string | null
  status: ProjectStatus
  budgetTokens: number | null
  budgetUsd: number | null
  budgetSeconds: number | null
  tokensUsed: number
  costUsd: number
  secondsUsed: number
  createdAt: string
  updatedAt: string
}

export interface Task {
  id: number
  projectId: number
  /** Hierarchy: the task this one is a subtask of. */
  parentId: number | null
  title: string
  description: string | null
  acceptanceCriteria: string[]
  /** Shell command run in the workspace; exit 0 means the task is done. */
  verifyCommand: string | null
  status: TaskStatus
  /** Higher runs first among ready tasks; ties go to the older task. */
  priority: number
  budgetTokens: number | null
  budgetUsd: number | null
  tokensUsed: number
  costUsd: number
  /** What the agent reported, or why the task failed / was blocked. */
  resultSummary: string | null
  /** Machine-readable failure reason, e.g. `budget_exceeded`, `verify_failed`, `agent_failed`. */
  failureReason: string | null
  /** Ids of the tasks this one depends on, ascending. */
  dependsOn: number[]
  createdAt: string
  updatedAt: string
  startedAt: string | null
  finishedAt: string | null
}

export interface Run {
  id: number
  projectId: number | null
  taskId: number | null
  status: RunStatus
  model: string
  inputTokens: number
  outputTokens: number
  /** Of inputTokens: read from the provider's prompt cache. */
  cacheReadTokens: number
  /** Of inputTokens: written to the provider's prompt cache. */
  cacheWriteTokens: number
  costUsd: number
  turns: number
  finalText: string | null
  error: string | null
  startedAt: string
  endedAt: string | null
}

export interface StoredEvent {
  id: number
  type: ChangeEventType
  projectId: number | null
  taskId: number | null
  /** The change's payload (the record after the change, ids involved, …). */
  data: Record<string, unknown>
  createdAt: string
}

// ---- inputs -------------------------------------------------------------------------------

export interface NewProject {
  name: string
  description?: string | null
  workspace?: string | null
  budgetTokens?: number | null
  budgetUsd?: number | null
  budgetSeconds?: number | null
}

export type ProjectPatch = Partial<Omit<NewProject, 'name'>> & { name?: string; status?: ProjectStatus }

export interface NewTask {
  projectId: number
  parentId?: number | null
  title: string
  description?: string | null
  acceptanceCriteria?: string[]
  verifyCommand?: string | null
  priority?: number
  budgetTokens?: number | null
  budgetUsd?: number | null
  /** Dependencies created in the same transaction as the task. */
  dependsOn?: number[]
}

/** Fields editable without a status transition. */
export type TaskPatch = Partial<
  Pick<
    Task,
    | 'title'
    | 'description'
    | 'acceptanceCriteria'
    | 'verifyCommand'
    | 'priority'
    | 'budgetTokens'
    | 'budgetUsd'
    | 'parentId'
    | 'resultSummary'
  >
>

export interface TransitionOptions {
  /** Stored as the task's `resultSummary` when given. */
  summary?: string | null
  /** Stored as `failureReason` when given; cleared when the task is reopened or started. */
  reason?: string | null
}

/** A task as a plan states it: keys are the planner's own ids; `depends_on` / `parent` name keys. */
export interface PlanTaskInput {
  key: string
  title: string
  description?: string
  acceptance_criteria?: string[]
  depends_on?: string[]
  parent?: string
  priority?: number
  verify_command?: string
  budget_tokens?: number
}

export interface TaskFilter {
  status?: TaskStatus | TaskStatus[]
  /** Only pending tasks whose dependencies are all done. */
  ready?: boolean
  parentId?: number | null
}

export interface Usage {
  tokens: number
  costUsd: number
  seconds?: number
}

export interface NewRun {
  projectId?: number | null
  taskId?: number | null
  model: string
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>
  inputTokens?: number
  outputTokens?: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
  costUsd?: number
  turns?: number
  finalText?: string | null
  error?: string | null
}

export interface RunFilter {
  projectId?: number
  taskId?: number
  limit?: number
}

export interface EventFilter {
  projectId?: number
  taskId?: number
  /** Only events with a larger id (for resuming a feed). */
  afterId?: number
  limit?: number
}

export interface TaskGraph {
  tasks: Task[]
  edges: { from: number; to: number }[]
}

export interface UsageFilter {
  /** ISO-8601 time: only what was spent from then on. */
  since?: string
  /**
   * Only sessions whose workspace is this directory or below it, and project runs of projects whose
   * workspace is (a project without a workspace counts): the server's --root.
   */
  under?: string
}

/** Tokens and cost spent, and how many runs spent them (project runs and session prompts). */
export interface UsageTotals {
  inputTokens: number
  outputTokens: number
  /** Of inputTokens: read from the provider's prompt cache. */
  cacheReadTokens: number
  /** Of inputTokens: written to the provider's prompt cache. */
  cacheWriteTokens: number
  costUsd: number
  runs: number
}

export interface ModelUsage extends UsageTotals {
  model: string
}

export interface ProjectUsage extends UsageTotals {
  projectId: number
  name: string
}

export interface UsageSummary {
  total: UsageTotals
  /** Most expensive first. */
  byModel: ModelUsage[]
  /** Projects that spent anything, most expensive first. */
  byProject: ProjectUsage[]
}

// ---- change events -------------------------------------------------------------------------

export type ChangeEvent =
  | { type: 'project.created'; project: Project }
  | { type: 'project.updated'; project: Project }
  | { type: 'project.deleted'; projectId: number }
  | { type: 'task.created'; task: Task }
  | { type: 'task.updated'; task: Task }
  | { type: 'task.status_changed'; task: Task; from: TaskStatus; to: TaskStatus }
  | { type: 'task.deleted'; taskId: number; projectId: number }
  | { type: 'dependency.added'; taskId: number; dependsOn: number; projectId: number }
  | { type: 'dependency.removed'; taskId: number; dependsOn: number; projectId: number }
  | { type: 'run.started'; run: Run }
  | { type: 'run.finished'; run: Run }
  | { type: 'session.created'; session: Session }
  | { type: 'session.updated'; session: Session }
  | { type: 'session.deleted'; sessionId: string }
  | { type: 'checkpoint.created'; checkpoint: Checkpoint }
  | { type: 'session.restored'; session: Session; checkpointId: number }

export type ChangeEventType = ChangeEvent['type']
/** Every change event carries the id of its row in `events`. */
export type RecordedChange = ChangeEvent & { eventId: number }
export type ChangeListener = (event: RecordedChange) => void

export interface SubscribeOptions {
  /**
   * Only the changes made through this store (this process), not other processes' on a shared
   * database — for whoever passes them on to those processes by other means (the server's event
   * hub). SQLite: every change is this process's.
   */
  local?: boolean
}

// ---- the operations ------------------------------------------------------------------------

/** Every operation of the store; `Store` is this synchronously, `AsyncStore` as Promises. */
export interface StoreOperations extends SessionOperations, TokenOperations {
  createProject(input: NewProject): Project
  getProject(id: number): Project | undefined
  /** By id (a number or all-digit string) or by name; throws NotFoundError naming the reference. */
  requireProject(ref: number | string): Project
  findProjectByName(name: string): Project | undefined
  listProjects(): Project[]
  updateProject(id: number, patch: ProjectPatch): Project
  /** Deletes the project with its tasks, dependencies and runs. */
  deleteProject(id: number): void
  addProjectUsage(id: number, usage: Usage): Project

  createTask(input: NewTask): Task
  getTask(id: number): Task | undefined
  requireTask(id: number): Task
  listTasks(projectId: number, filter?: TaskFilter): Task[]
  updateTask(id: number, patch: TaskPatch): Task
  /** Validated against the transition table; starting needs every dependency done. */
  transitionTask(id: number, to: TaskStatus, options?: TransitionOptions): Task
  deleteTask(id: number): void
  /** `taskId` depends on `dependsOn`; same project, no cycles. Idempotent. */
  addDependency(taskId: number, dependsOn: number): void
  removeDependency(taskId: number, dependsOn: number): void
  getDependencies(taskId: number): Task[]
  getDependents(taskId: number): Task[]
  /** Ready tasks (pending, every dependency done), highest priority first, then oldest. */
  readyTasks(projectId: number, limit?: number): Task[]
  nextReadyTask(projectId: number): Task | undefined
  addTaskUsage(id: number, usage: Usage): Task
  /** Tasks left `in_progress` (by a crashed process) go back to `pending`; returns them. */
  resetStaleTasks(projectId: number): Task[]
  getGraph(projectId: number): TaskGraph

  /** Stores a validated plan in one transaction; returns the tasks in plan order. */
  createPlan(projectId: number, plan: PlanTaskInput[]): Task[]
  /** Problems with a plan (duplicate keys, unknown references, cycles); empty when valid. */
  validatePlan(plan: PlanTaskInput[]): string[]

  startRun(input: NewRun): Run
  finishRun(id: number, outcome: RunOutcome): Run
  getRun(id: number): Run | undefined
  listRuns(filter?: RunFilter): Run[]

  listEvents(filter?: EventFilter): StoredEvent[]

  /** Spending in total, by model and by project: project runs plus session messages, never twice. */
  usageSummary(filter?: UsageFilter): UsageSummary
}

type Promisified<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never
}

/** The same operations returning Promises: the interface a Postgres backend will implement. */
export interface AsyncStore extends Promisified<StoreOperations> {
  /** Runs `fn` in one transaction; it may await the async store's own operations. */
  transaction<T>(fn: (store: AsyncStore) => Promise<T>): Promise<T>
  subscribe(listener: ChangeListener, options?: SubscribeOptions): () => void
  close(): Promise<void>
}

export interface Store extends StoreOperations {
  /** Absolute path of the database file, or `:memory:`. */
  readonly path: string
  /** Runs `fn` in one (nested: savepoint) transaction; events are emitted after the outer commit. */
  transaction<T>(fn: () => T): T
  /** In-process change events, delivered after commit. Returns an unsubscribe function. */
  subscribe(listener: ChangeListener): () => void
  readonly async: AsyncStore
  close(): void
}

export interface OpenStoreOptions {
  /** Database file; `:memory:` for a throwaway store. Parent directories are created. */
  path: string
  /** Open an existing file only; do not create one. */
  readonly?: boolean
}

/** Either face of a store: consumers that take it work on its async face (`asAsyncStore`). */
export type AnyStore = Store | AsyncStore
