/** Tasks: the record, request bodies and the list query (docs/api.md). */
import { z } from 'zod'
import { TASK_STATUSES } from '../constants.js'
import { IsoTime } from './common.js'

export const TaskStatusSchema = z.enum(TASK_STATUSES).meta({ id: 'TaskStatus' })

export const TaskSchema = z
  .object({
    id: z.number().int(),
    project_id: z.number().int(),
    parent_id: z.number().int().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    acceptance_criteria: z.array(z.string()),
    verify_command: z.string().nullable(),
    status: TaskStatusSchema,
    priority: z.number().int(),
    budget_tokens: z.number().int().nullable(),
    budget_usd: z.number().nullable(),
    tokens_used: z.number().int(),
    cost_usd: z.number(),
    result_summary: z.string().nullable(),
    failure_reason: z.string().nullable(),
    depends_on: z.array(z.number().int()),
    created_at: IsoTime,
    updated_at: IsoTime,
    started_at: IsoTime.nullable(),
    finished_at: IsoTime.nullable(),
  })
  .meta({ id: 'Task' })
export type TaskJson = z.infer<typeof TaskSchema>

/** `?status=pending,failed` → the statuses; each must be a known one. */
const StatusList = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(TaskStatusSchema).min(1, `status needs one or more of: ${TASK_STATUSES.join(', ')}`))
  .meta({ description: `comma-separated: ${TASK_STATUSES.join(', ')}` })

export const ListTasksQuery = z.object({
  status: StatusList.optional(),
  ready: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: only pending tasks whose dependencies are all done' }),
})

const Id = z.number().int().positive()
const Title = z.string().trim().min(1).max(500)
const Editable = {
  description: z.string().nullable().optional(),
  acceptance_criteria: z.array(z.string().trim().min(1)).optional(),
  verify_command: z.string().trim().min(1).nullable().optional(),
  priority: z.number().int().optional().meta({ description: 'higher runs first among ready tasks' }),
  budget_tokens: z.number().int().min(1).nullable().optional(),
  budget_usd: z.number().min(0).nullable().optional(),
}

export const CreateTaskBody = z
  .strictObject({
    title: Title,
    ...Editable,
    parent_id: Id.nullable().optional(),
    depends_on: z.array(Id).optional(),
  })
  .meta({ id: 'CreateTask' })

export const PatchTaskBody = z
  .strictObject({
    title: Title.optional(),
    ...Editable,
    parent_id: Id.nullable().optional(),
    result_summary: z.string().nullable().optional(),
  })
  .meta({ id: 'PatchTask' })

export const TransitionBody = z
  .strictObject({
    to: TaskStatusSchema,
    summary: z.string().nullable().optional().meta({ description: 'stored as result_summary' }),
    reason: z.string().nullable().optional().meta({ description: 'stored as failure_reason' }),
  })
  .meta({ id: 'TransitionTask' })

export const DependencyBody = z
  .strictObject({ depends_on: Id.meta({ description: 'the task that must be done first' }) })
  .meta({ id: 'AddDependency' })

export const DependencyParams = z.object({
  id: z.coerce.number().int().positive(),
  dep: z.coerce.number().int().positive(),
})
