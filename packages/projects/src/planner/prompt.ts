import { SUBMIT_PLAN } from './schema.js'

export interface PlanPromptInput {
  projectName: string
  projectDescription?: string | null
  workspace?: string | null
  spec: string
}

/** What the planner is and what a good plan looks like; the spec itself goes in the user message. */
export const PLANNER_SYSTEM_PROMPT = `You are the planner of Penguin, an AI software-engineering agent. You turn a project \
specification into a graph of tasks that coding agents will carry out one at a time, in dependency order, in the \
project's workspace.

Rules for a good plan:
- Each task is one focused change an engineer could finish in one sitting, and can be checked on its own.
- The description says what to do and where (files, modules, interfaces), so an agent that sees only this task and \
the summaries of the tasks it depends on can do it.
- acceptance_criteria lists observable conditions that must hold when the task is done.
- depends_on names the keys of tasks whose results this task needs. Do not add dependencies that are not needed: \
independent tasks can run in any order. There must be no cycles.
- parent names the key of a larger task this one is a part of; leave it out for top-level tasks.
- priority (an integer, default 0) orders tasks that are ready at the same time; higher goes first.
- verify_command, when the work can be checked automatically, is a shell command run in the workspace root that \
exits 0 only when the task is done (for example a test file run for this feature). Leave it out when it cannot.
- Keys are short, unique, lower-case ids such as "db-schema" or "api-auth".

Submit the plan by calling the ${SUBMIT_PLAN} tool exactly once with every task. Do not answer in prose.`

export function buildPlanRequest(input: PlanPromptInput): string {
  const lines = [`Project: ${input.projectName}`]
  if (input.projectDescription?.trim()) lines.push(`Description: ${input.projectDescription.trim()}`)
  if (input.workspace) lines.push(`Workspace: ${input.workspace}`)
  lines.push(
    '',
    'Specification:',
    '"""',
    input.spec.trim(),
    '"""',
    '',
    `Plan this project and call ${SUBMIT_PLAN}.`,
  )
  return lines.join('\n')
}

/** Sent as the result of a rejected submit_plan call: the exact problems, then what to do. */
export function rejectionMessage(problems: readonly string[]): string {
  return [
    `The plan was rejected. Problems:`,
    ...problems.map((problem) => `- ${problem}`),
    `Fix every problem and call ${SUBMIT_PLAN} again with the complete corrected plan.`,
  ].join('\n')
}

/** Sent when the model answered without calling submit_plan at all. */
export const NO_PLAN_PROBLEM = `No plan was submitted: you must call the ${SUBMIT_PLAN} tool with the complete plan instead of answering in text.`

/** The result given to any other tool the model tried to call; the planner offers only one. */
export function unknownToolMessage(name: string): string {
  return `There is no tool named "${name}" here; the only tool is ${SUBMIT_PLAN}. This call was not run.`
}
