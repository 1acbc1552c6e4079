import type { Project, Task } from '@penguin-ai/store'

/**
 * What the agent is told about one task: the task itself, what the tasks it depends on produced,
 * and how it will be checked. The agent sees nothing else of the plan, so this must stand alone.
 */
export function buildTaskPrompt(
  project: Pick<Project, 'name' | 'description'>,
  task: Task,
  dependencies: Task[],
): string {
  const lines = [`You are working on task ${task.id} of project "${project.name}".`]
  if (project.description?.trim()) lines.push(`Project description: ${project.description.trim()}`)
  lines.push('', `# Task: ${task.title}`)
  if (task.description?.trim()) lines.push('', task.description.trim())
  if (task.acceptanceCriteria.length > 0) {
    lines.push('', '## Acceptance criteria', ...task.acceptanceCriteria.map((item) => `- ${item}`))
  }
  const done = dependencies.filter((dep) => dep.resultSummary?.trim())
  if (done.length > 0) {
    lines.push('', '## Results of the tasks this one builds on')
    for (const dep of done) lines.push(`- Task ${dep.id} "${dep.title}": ${dep.resultSummary?.trim()}`)
  }
  if (task.verifyCommand) {
    lines.push(
      '',
      '## Verification',
      `When you finish, this command is run in the workspace root and must exit 0: \`${task.verifyCommand}\``,
      'Run it yourself before you finish and fix whatever makes it fail.',
    )
  }
  lines.push(
    '',
    'Do this task only; later tasks handle the rest of the project. When you are done, reply with a short summary ' +
      'of what you changed (files, functions, commands) for the engineers who build on it.',
  )
  return lines.join('\n')
}
