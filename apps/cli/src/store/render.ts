import type { Project, Run, Task } from '@penguin-ai/store'
import { formatCost, formatTokens } from '../render/format.js'

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

export function projectTable(projects: Array<Project & { taskCounts: Record<string, number> }>): string {
  if (projects.length === 0) return 'No projects yet. Create one with: penguin project create <name>'
  return table(
    ['ID', 'NAME', 'STATUS', 'TASKS', 'TOKENS', 'COST', 'WORKSPACE'],
    projects.map((p) => {
      const total = Object.values(p.taskCounts).reduce((a, b) => a + b, 0)
      return [
        String(p.id),
        p.name,
        p.status,
        `${p.taskCounts.done ?? 0}/${total} done`,
        formatTokens(p.tokensUsed),
        formatCost(p.costUsd),
        p.workspace ?? '-',
      ]
    }),
  )
}

export function taskTable(tasks: Task[]): string {
  if (tasks.length === 0) return 'No tasks.'
  return table(
    ['ID', 'STATUS', 'PRI', 'DEPENDS ON', 'PARENT', 'TITLE'],
    tasks.map((t) => [
      String(t.id),
      t.status,
      String(t.priority),
      t.dependsOn.length ? t.dependsOn.join(',') : '-',
      t.parentId === null ? '-' : String(t.parentId),
      t.title,
    ]),
  )
}

function budget(tokens: number | null, usd: number | null, seconds?: number | null): string {
  const parts = [
    tokens === null ? '' : `${formatTokens(tokens)} tokens`,
    usd === null ? '' : formatCost(usd),
    seconds === null || seconds === undefined ? '' : `${seconds} s`,
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : 'none'
}

export function projectDetails(project: Project, tasks: Task[]): string {
  const lines = [
    `Project ${project.id}: ${project.name} (${project.status})`,
    ...(project.description ? [`  ${project.description}`] : []),
    `  workspace: ${project.workspace ?? '-'}`,
    `  budget:    ${budget(project.budgetTokens, project.budgetUsd, project.budgetSeconds)}`,
    `  spent:     ${formatTokens(project.tokensUsed)} tokens, ${formatCost(project.costUsd)}, ${Math.round(project.secondsUsed)} s`,
    `  created:   ${project.createdAt}`,
    '',
    taskTable(tasks),
  ]
  return lines.join('\n')
}

export function taskDetails(task: Task, dependencies: Task[], dependents: Task[], runs: Run[]): string {
  const lines = [
    `Task ${task.id}: ${task.title}`,
    `  status:   ${task.status}${task.failureReason ? ` (${task.failureReason})` : ''}`,
  ]
  lines.push(`  project:  ${task.projectId}`, `  priority: ${task.priority}`)
  if (task.parentId !== null) lines.push(`  parent:   ${task.parentId}`)
  if (task.description) lines.push('', ...task.description.split('\n').map((line) => `  ${line}`))
  if (task.acceptanceCriteria.length) {
    lines.push('', '  Acceptance criteria:', ...task.acceptanceCriteria.map((item) => `  - ${item}`))
  }
  if (task.verifyCommand) lines.push('', `  verify:   ${task.verifyCommand}`)
  lines.push(`  budget:   ${budget(task.budgetTokens, task.budgetUsd)}`)
  lines.push(`  spent:    ${formatTokens(task.tokensUsed)} tokens, ${formatCost(task.costUsd)}`)
  const refs = (tasks: Task[]) => (tasks.length ? tasks.map((t) => `${t.id} (${t.status})`).join(', ') : '-')
  lines.push(`  depends on: ${refs(dependencies)}`, `  needed by:  ${refs(dependents)}`)
  if (task.resultSummary)
    lines.push('', '  Result:', ...task.resultSummary.split('\n').map((line) => `    ${line}`))
  if (runs.length) {
    lines.push('', '  Runs:')
    for (const run of runs) {
      lines.push(
        `    #${run.id} ${run.status} ${run.model} ${formatTokens(run.inputTokens + run.outputTokens)} tokens ${formatCost(run.costUsd)} ${run.turns} turns ${run.startedAt}`,
      )
    }
  }
  return lines.join('\n')
}
