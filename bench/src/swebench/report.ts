import { formatCost, formatDuration, formatTokens, markdownTable } from '../format.js'
import type { RunSummaryHead } from '../report/runs.js'
import type { SweScores } from './results.js'

/** summary.json of a SWE-bench-format run. */
export interface SweSummary {
  benchmark: 'swebench'
  label: string
  model: string
  instancesFile: string
  /** Share of the run's instances resolved by the local evaluator. */
  score: number
  costUsd: number
  instances: number
  resolved: number
  unresolved: number
  notEvaluated: number
  errors: number
  totals: SweScores['totals']
  elapsedMs: number
  predictions: string
  finishedAt: string
}

export function sweSummaryTable(summary: SweSummary, reportPath: string): string[][] {
  const t = summary.totals
  return [
    ['SWE-bench format', summary.model],
    ['resolved', `${summary.resolved}/${summary.instances} (${(summary.score * 100).toFixed(1)}%)`],
    ['unresolved', String(summary.unresolved)],
    ['not evaluated', String(summary.notEvaluated)],
    ['errors', String(summary.errors)],
    ['tokens', `${formatTokens(t.inputTokens)} in / ${formatTokens(t.outputTokens)} out`],
    ['cost', formatCost(t.costUsd)],
    ['wall time', `${formatDuration(summary.elapsedMs)} (agent time ${formatDuration(t.wallMs)})`],
    ['turns', t.count ? (t.turns / t.count).toFixed(1) : '0'],
    ['predictions', summary.predictions],
    ['report', reportPath],
  ]
}

export function sweMarkdown(
  summary: SweSummary,
  scores: SweScores,
  chartFile: string,
  others: RunSummaryHead[],
): string {
  const t = summary.totals
  const overview = markdownTable([
    ['metric', 'value'],
    ['resolved', `${summary.resolved} / ${summary.instances}`],
    [
      'unresolved / not evaluated / errors',
      `${summary.unresolved} / ${summary.notEvaluated} / ${summary.errors}`,
    ],
    ['input tokens', String(t.inputTokens)],
    ['output tokens', String(t.outputTokens)],
    ['cost', formatCost(t.costUsd)],
    ['wall time (this session)', formatDuration(summary.elapsedMs)],
    ['agent time (sum)', formatDuration(t.wallMs)],
    ['turns per instance', t.count ? (t.turns / t.count).toFixed(2) : '0'],
  ])
  const rows = markdownTable([
    [
      'instance',
      'status',
      'FAIL_TO_PASS',
      'PASS_TO_PASS',
      'patch lines',
      'tokens',
      'cost',
      'wall',
      'turns',
      'run',
      'detail',
    ],
    ...scores.records.map((r) => [
      r.instance_id,
      r.status,
      `${r.failToPass.passed.length}/${r.failToPass.passed.length + r.failToPass.failed.length}`,
      `${r.passToPass.passed.length}/${r.passToPass.passed.length + r.passToPass.failed.length}`,
      String(r.patchLines),
      formatTokens(r.metrics.totalTokens),
      formatCost(r.metrics.costUsd),
      formatDuration(r.metrics.wallMs),
      String(r.metrics.turns),
      r.runStatus,
      r.detail.slice(0, 80),
    ]),
  ])
  const comparison = others.length
    ? `\n\nOther runs in this folder: ${others.map((o) => `${o.label} (${(o.score * 100).toFixed(1)}%, ${formatCost(o.costUsd)})`).join(', ')}.`
    : ''
  return `# SWE-bench format — ${summary.model}

Finished ${summary.finishedAt}. Instances \`${summary.instancesFile}\`; predictions for the official evaluator in
\`${summary.predictions}\`. "Resolved" is the local evaluator's verdict (test_patch applied, test_cmd run for
every FAIL_TO_PASS and PASS_TO_PASS test).

## Results

${overview}

![cost vs resolved](${chartFile})${comparison}

## Per instance

${rows}
`
}
