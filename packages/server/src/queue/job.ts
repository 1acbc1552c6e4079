/**
 * What goes through the run queue (pg-boss queue `penguin.run`): a job names the run (its id is the
 * run id clients already hold), where it runs (the workspace: only a worker with a root above it
 * takes it) and what to do. Pure: no database here.
 */
import { randomUUID } from 'node:crypto'
import { relative, sep } from 'node:path'
import { z } from 'zod'

/** The pg-boss queue every server sends runs to and every worker fetches from. */
export const RUN_QUEUE = 'penguin.run'

/** pg-boss's own tables live in this schema of the shared database, beside Penguin's. */
export const QUEUE_SCHEMA = 'pgboss'

/** A prompt to a stored session (`POST /sessions/{id}/messages` on a server with a database URL). */
export const SessionRunJobSchema = z.object({
  kind: z.literal('session'),
  runId: z.string().min(1),
  sessionId: z.string().min(1),
  workspace: z.string().min(1),
  content: z.string(),
  /** Switches the session to this agent from this run on (checked where the run executes). */
  agent: z.string().optional(),
  /** The session's `auto_approve` as stored when the run was queued. */
  autoApprove: z.boolean(),
})

/** A project run (`POST /projects/{id}/run`): the ready tasks in dependency order. */
export const ProjectRunJobSchema = z.object({
  kind: z.literal('project'),
  /** The project run's id (`prun_…`), which its events carry as `project_run_id`. */
  runId: z.string().min(1),
  projectId: z.number().int(),
  workspace: z.string().min(1),
  model: z.string().optional(),
  autoApprove: z.boolean(),
  maxTasks: z.number().int().min(1).optional(),
  parallel: z.number().int().min(1).optional(),
  roles: z.array(z.enum(['plan', 'build', 'test', 'review'])).optional(),
})

/**
 * A plan (`POST /projects/{id}/plan`): the worker asks the model and puts the validated plan in the
 * lease; the server that queued it stores the tasks and answers its client (see plans.ts).
 */
export const PlanJobSchema = z.object({
  kind: z.literal('plan'),
  runId: z.string().min(1),
  projectId: z.number().int(),
  /** The project's workspace, else the queuing server's root: where a worker must be to plan it. */
  workspace: z.string().min(1),
  spec: z.string(),
  /** The model as the server resolved it (the one asked for, else its default). */
  model: z.string().min(1),
  /** The waiting server's node (Coordination): told once the outcome is in the lease. */
  replyTo: z.string().optional(),
})

export const QueuedJobSchema = z.discriminatedUnion('kind', [
  SessionRunJobSchema,
  ProjectRunJobSchema,
  PlanJobSchema,
])

export type SessionRunJob = z.infer<typeof SessionRunJobSchema>
export type ProjectRunJob = z.infer<typeof ProjectRunJobSchema>
export type PlanJob = z.infer<typeof PlanJobSchema>
export type QueuedJob = z.infer<typeof QueuedJobSchema>

/** A run id chosen when the run is queued: the same UUID shape the engine gives its own runs. */
export function newQueuedRunId(): string {
  return randomUUID()
}

/** Whether `workspace` is one of `roots` or lies under one (absolute paths, compared as written). */
export function underRoots(workspace: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const path = relative(root, workspace)
    return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !path.startsWith(sep))
  })
}

/**
 * What the model reads when a run continues on another worker after the one running it stopped:
 * the stored conversation is what happened; a tool call whose result is missing (answered
 * "interrupted") may or may not have taken effect.
 */
export function resumeNote(attempt: number): string {
  return [
    `[Penguin] The worker running this task stopped before the run finished; it continues now on another worker (attempt ${attempt}).`,
    'The conversation above is everything that was recorded. Tool calls that have results completed: do not repeat them.',
    'A tool call answered "Not run: the session was interrupted" was cut off and may or may not have taken effect: check its effect before doing it again.',
    'Continue the task from where it stopped.',
  ].join('\n')
}
