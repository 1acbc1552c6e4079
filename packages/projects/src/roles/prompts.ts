import type { Project, Task } from '@penguin-ai/store'
import { buildTaskPrompt } from '../executor/task-prompt.js'
import { SPLIT_TASK } from './roles.js'

type ProjectInfo = Pick<Project, 'name' | 'description'>

/** `plan`: split the task if it is too big, else leave a short plan for `build`. */
export function planPrompt(project: ProjectInfo, task: Task, dependencies: Task[]): string {
  return [
    buildTaskPrompt(project, task, dependencies),
    '',
    '## Your role: plan',
    `Do not change anything. Study the code this task touches and decide whether one agent session can do it. If it is too big, call ${SPLIT_TASK} once with 2-10 subtasks (each with its own acceptance criteria and, where you can, a verify command) and stop. Otherwise reply with a short step-by-step plan for the engineer who will build it.`,
  ].join('\n')
}

/** `build`: the task itself, with the plan to follow or the review objections to address. */
export function buildPrompt(
  project: ProjectInfo,
  task: Task,
  dependencies: Task[],
  context: { plan?: string; objections?: string; conflicts?: { branch: string; files: string[] } },
): string {
  const lines = [buildTaskPrompt(project, task, dependencies)]
  if (context.conflicts?.files.length)
    lines.push(
      '',
      '## Merge conflicts to resolve first',
      `Earlier work on this task is already in the workspace. The project branch (${context.conflicts.branch}) has moved on and was merged into it; these files have conflict markers (<<<<<<< … >>>>>>>): ${context.conflicts.files.join(', ')}.`,
      "Resolve every conflict keeping both sides' intent (remove the markers), then make sure the task is done.",
    )
  if (context.plan?.trim()) lines.push('', '## Plan to follow', context.plan.trim())
  if (context.objections?.trim())
    lines.push(
      '',
      '## A reviewer asked for changes',
      'The work so far is already in the workspace. Address every point below, then summarise what you changed.',
      context.objections.trim(),
    )
  return lines.join('\n')
}

/** `test`: tests for what the acceptance criteria ask, on top of the built change. */
export function testPrompt(project: ProjectInfo, task: Task, buildSummary: string): string {
  return [
    `You are adding tests for task ${task.id} of project "${project.name}": ${task.title}.`,
    task.description?.trim() ? `\n${task.description.trim()}` : null,
    '',
    '## Acceptance criteria',
    ...task.acceptanceCriteria.map((item) => `- ${item}`),
    '',
    '## What the build agent reported',
    buildSummary.trim() || '(no summary)',
    '',
    '## Your role: test',
    "Add or update tests so each criterion about tests is covered, in the project's existing test style; run them and fix the tests (not the feature, unless it is plainly wrong). Reply with what you added and what passes.",
    task.verifyCommand ? `The task is checked with \`${task.verifyCommand}\`: keep it passing.` : null,
  ]
    .filter((line) => line !== null)
    .join('\n')
}

/** `review`: the diff against the acceptance criteria, ending in a verdict line. */
export function reviewPrompt(project: ProjectInfo, task: Task, diff: string, summary: string): string {
  return [
    `You are reviewing the change made for task ${task.id} of project "${project.name}": ${task.title}.`,
    task.description?.trim() ? `\n${task.description.trim()}` : null,
    '',
    '## Acceptance criteria',
    ...(task.acceptanceCriteria.length
      ? task.acceptanceCriteria.map((item) => `- ${item}`)
      : ['- (none given: judge against the title and description)']),
    '',
    '## What the engineer reported',
    summary.trim() || '(no summary)',
    '',
    '## The diff',
    '```diff',
    diff.trim() || '(no changes)',
    '```',
    '',
    '## Your role: review',
    'Check the change against every criterion; read the files where the diff is not enough. List each problem with file:line and what to fix.',
    'End with exactly one line: `VERDICT: approve` or `VERDICT: changes requested`.',
  ]
    .filter((line) => line !== null)
    .join('\n')
}
