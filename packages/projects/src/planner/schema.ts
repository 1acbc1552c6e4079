import type { ToolSpec } from '@penguin-ai/llm'
import { z } from 'zod'

export const SUBMIT_PLAN = 'submit_plan'

/** One task as the model proposes it. Keys are the model's own short ids; references name keys. */
export const PlanTaskSchema = z.object({
  key: z.string().trim().min(1).describe('Short unique id for this task within the plan, e.g. "api-routes"'),
  title: z.string().trim().min(1).describe('Imperative, under 80 characters'),
  description: z.string().trim().min(1).describe('What to do and where, enough for an engineer new to it'),
  acceptance_criteria: z
    .array(z.string().trim().min(1))
    .optional()
    .describe('Observable conditions that must hold when the task is done'),
  depends_on: z.array(z.string().trim().min(1)).optional().describe('Keys of tasks that must be done first'),
  parent: z.string().trim().min(1).optional().describe('Key of the task this one is a subtask of'),
  priority: z.int().optional().describe('Higher runs first among ready tasks; default 0'),
  verify_command: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('Shell command run in the workspace that exits 0 only when the task is done'),
})

export const SubmitPlanSchema = z.object({
  tasks: z.array(PlanTaskSchema).min(1).describe('Every task of the plan, in a sensible order'),
})

export type PlanTask = z.infer<typeof PlanTaskSchema>
export type SubmittedPlan = z.infer<typeof SubmitPlanSchema>

let spec: ToolSpec | undefined

/** The one tool the planner offers. Built once: the JSON Schema never changes. */
export function submitPlanTool(): ToolSpec {
  if (!spec) {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(SubmitPlanSchema) as Record<string, unknown>
    spec = {
      name: SUBMIT_PLAN,
      description:
        'Submit the complete project plan as a list of tasks. Call it exactly once per reply with the whole plan; ' +
        'if the plan is rejected you get the problems back and must submit the whole corrected plan again.',
      parameters,
    }
  }
  return spec
}
