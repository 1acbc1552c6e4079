/** Projects: records, request bodies and queries (docs/api.md), parsed and documented by these. */
import { z } from 'zod'
import { PROJECT_STATUSES, TASK_STATUSES } from '../constants.js'
import { IsoTime, UsageSchema } from './common.js'
import { TaskSchema } from './tasks.js'

export const ProjectSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    workspace: z.string().nullable(),
    status: z.enum(PROJECT_STATUSES),
    budget_tokens: z.number().int().nullable(),
    budget_usd: z.number().nullable(),
    budget_seconds: z.number().nullable(),
    tokens_used: z.number().int(),
    cost_usd: z.number(),
    seconds_used: z.number(),
    created_at: IsoTime,
    updated_at: IsoTime,
    task_counts: z
      .record(z.string(), z.number().int())
      .meta({ description: 'tasks by status (only statuses that occur)' }),
    running: z.boolean().meta({ description: 'a project run is in progress on this server' }),
    active_project_run_id: z.string().nullable(),
  })
  .meta({ id: 'Project' })
export type ProjectJson = z.infer<typeof ProjectSchema>

const ProjectName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !/^\d+$/.test(name), 'a project name cannot be only digits: it would read as an id')
const Budgets = {
  budget_tokens: z.number().int().min(1).nullable().optional(),
  budget_usd: z.number().min(0).nullable().optional(),
  budget_seconds: z.number().int().min(1).nullable().optional(),
}
const Workspace = z
  .string()
  .min(1)
  .meta({ description: 'absolute, or relative to the server root; must be a directory under it' })

export const CreateProjectBody = z
  .strictObject({
    name: ProjectName,
    description: z.string().nullable().optional(),
    workspace: Workspace.optional(),
    ...Budgets,
  })
  .meta({ id: 'CreateProject' })

export const PatchProjectBody = z
  .strictObject({
    name: ProjectName.optional(),
    description: z.string().nullable().optional(),
    workspace: Workspace.nullable().optional(),
    status: z.enum(PROJECT_STATUSES).optional(),
    ...Budgets,
  })
  .meta({ id: 'PatchProject' })

export const GraphQuery = z.object({ format: z.enum(['json', 'mermaid', 'dot']).default('json') })

export const GraphSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.number().int(),
        title: z.string(),
        status: z.enum(TASK_STATUSES),
        parent_id: z.number().int().nullable(),
        depends_on: z.array(z.number().int()),
      }),
    ),
    edges: z.array(
      z.object({
        from: z.number().int().meta({ description: 'done first (for kind parent: the subtask)' }),
        to: z.number().int(),
        kind: z.enum(['depends_on', 'parent']),
      }),
    ),
  })
  .meta({ id: 'TaskGraph' })

export const PlanBody = z
  .strictObject({
    spec: z
      .string()
      .trim()
      .min(1)
      .max(200_000)
      .meta({ description: 'the specification, in natural language' }),
    dry_run: z.boolean().optional(),
    model: z.string().min(1).optional().meta({ description: "provider/model; defaults to the server's" }),
  })
  .meta({ id: 'PlanProject' })

export const PlannedTaskSchema = z
  .object({
    key: z.string(),
    title: z.string(),
    description: z.string(),
    acceptance_criteria: z.array(z.string()).optional(),
    depends_on: z.array(z.string()).optional(),
    parent: z.string().optional(),
    priority: z.number().int().optional(),
    verify_command: z.string().optional(),
  })
  .meta({ id: 'PlannedTask' })

export const PlanResultSchema = z
  .object({
    plan: z.array(PlannedTaskSchema),
    tasks: z.array(TaskSchema).meta({ description: 'the stored tasks in plan order; empty for a dry run' }),
    attempts: z.number().int(),
    usage: UsageSchema,
    cost_usd: z.number(),
    duration_ms: z.number(),
    dry_run: z.boolean(),
  })
  .meta({ id: 'PlanResult' })
export type PlanResultJson = z.infer<typeof PlanResultSchema>

export const RunProjectBody = z
  .strictObject({
    auto_approve: z
      .boolean()
      .optional()
      .meta({ description: 'tasks without a verify command go to done instead of review' }),
    max_tasks: z.number().int().min(1).optional(),
    model: z.string().min(1).optional(),
    parallel: z.number().int().min(1).max(32).optional().meta({
      description:
        "run up to this many ready tasks at once, each in its own git worktree on penguin/task-<id>, merged back when verified (default: the config's projects.parallel, else one at a time in the workspace)",
    }),
    roles: z
      .array(z.enum(['plan', 'build', 'test', 'review']))
      .min(1)
      .optional()
      .meta({
        description:
          "roles each task goes through, in order plan, build, test, review (build always; default: the config's projects.roles, else build)",
      }),
  })
  .meta({ id: 'RunProject' })

export const ProjectRunAcceptedSchema = z
  .object({ project_run_id: z.string() })
  .meta({ id: 'ProjectRunAccepted' })
