import { defineTool, type Tool, ToolError } from '@penguin-ai/tools'
import { z } from 'zod'

/**
 * The roles a task goes through, in this order: `plan` (split a task that is too big into subtasks),
 * `build` (implement), `test` (add or update tests, when the acceptance criteria ask for them),
 * `review` (check the diff against the acceptance criteria before the task is done).
 */
export const PROJECT_ROLES = ['plan', 'build', 'test', 'review'] as const
export const ProjectRoleSchema = z.enum(PROJECT_ROLES)
export type ProjectRole = z.infer<typeof ProjectRoleSchema>

/** Without configuration a task is only built, as a single agent always did. */
export const DEFAULT_ROLES: readonly ProjectRole[] = Object.freeze(['build'])

/** The agent a role runs as: its prompt and the tools it may use (e.g. a built-in agent's). */
export interface RoleAgent {
  name: string
  prompt: string
  toolFilter?: (tool: string) => boolean
}

export type RoleAgents = Partial<Record<ProjectRole, RoleAgent>>

/** Roles as given (any order, repeats), in pipeline order; `build` is always part of it. */
export function normalizeRoles(roles: readonly ProjectRole[] | undefined): ProjectRole[] {
  const wanted = new Set<ProjectRole>([...(roles ?? DEFAULT_ROLES), 'build'])
  return PROJECT_ROLES.filter((role) => wanted.has(role))
}

/** Parses `plan,build,review` (a flag's or a form's value). Throws with the allowed names. */
export function parseRoles(text: string): ProjectRole[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const bad = names.filter((name) => !ProjectRoleSchema.safeParse(name).success)
  if (bad.length || names.length === 0)
    throw new Error(
      `roles must be a comma-separated list of ${PROJECT_ROLES.join(', ')}${bad.length ? `; got ${bad.join(', ')}` : ''}`,
    )
  return normalizeRoles(names as ProjectRole[])
}

/** Does the task ask for tests? Then the `test` role runs after `build`. */
export function criteriaAskForTests(criteria: readonly string[]): boolean {
  return criteria.some((item) => /\b(tests?|tested|testing|specs?|coverage)\b/i.test(item))
}

export interface ReviewVerdict {
  approved: boolean
  /** The reviewer's reply, given to `build` (or kept on the task) when changes are requested. */
  text: string
}

/**
 * The review agent's verdict from its reply: the last `verdict: approve | changes requested` line
 * wins; without one, "changes requested" anywhere objects and anything else approves.
 */
export function reviewVerdict(text: string): ReviewVerdict {
  const verdicts = [...text.matchAll(/verdict\W{0,4}(approved?|changes requested)/gi)]
  const last = verdicts.at(-1)?.[1]
  if (last) return { approved: /^approve/i.test(last), text }
  return { approved: !/changes requested/i.test(text), text }
}

export const SplitTaskSchema = z.object({
  subtasks: z
    .array(
      z.object({
        key: z.string().min(1).max(40).describe('your own id for this subtask, used in depends_on'),
        title: z.string().min(1).max(200),
        description: z.string().max(4000).optional(),
        acceptance_criteria: z.array(z.string().min(1).max(500)).max(20).optional(),
        depends_on: z.array(z.string()).max(20).optional().describe('keys of subtasks this one needs first'),
        verify_command: z.string().max(1000).optional(),
      }),
    )
    .min(2)
    .max(10),
})
export type SplitTask = z.infer<typeof SplitTaskSchema>

export const SPLIT_TASK = 'split_task'

/**
 * The `plan` role's way to split a task: a tool whose call is recorded (the caller stores the
 * subtasks). Keys must be unique and dependencies must name earlier subtasks, so the graph has no cycle.
 */
export function splitTaskTool(onSplit: (split: SplitTask) => void): Tool {
  return defineTool({
    name: SPLIT_TASK,
    description:
      'Split the current task into 2-10 smaller subtasks that are each doable in one agent session. Subtasks run in order of their dependencies; each may depend only on subtasks listed before it. Call it at most once, and only if the task is too big to do in one go.',
    parameters: SplitTaskSchema,
    readOnly: true,
    title: (args) => `${args.subtasks.length} subtasks`,
    async execute(args) {
      const seen = new Set<string>()
      for (const subtask of args.subtasks) {
        if (seen.has(subtask.key))
          throw new ToolError(`the key "${subtask.key}" is used twice; nothing was stored`)
        const unknown = (subtask.depends_on ?? []).filter((key) => !seen.has(key))
        if (unknown.length)
          throw new ToolError(
            `"${subtask.key}" depends on ${unknown.join(', ')}, which must be listed before it; nothing was stored`,
          )
        seen.add(subtask.key)
      }
      onSplit(args)
      return `Recorded ${args.subtasks.length} subtasks; they will be run instead of this task. Reply with one line saying why you split it.`
    },
  })
}
