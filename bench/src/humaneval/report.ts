import { formatCost, formatDuration, formatRate, formatTokens, markdownTable } from '../format.js'
import type { RunSummaryHead } from '../report/runs.js'
import type { HumanEvalScores } from './results.js'
import type { HumanEvalMode } from './solver.js'

/** summary.json of a HumanEval run. */
export interface HumanEvalSummary {
  benchmark: 'humaneval'
  label: string
  model: string
  mode: HumanEvalMode
  samplesPerProblem: number
  /** pass@1: the share of problems solved. */
  score: number
  costUsd: number
  passAtK: Record<string, number>
  problems: number
  samples: number
  passed: number
  failed: number
  timeouts: number
  errors: number
  totals: HumanEvalScores['totals']
  /** Wall time of this session of the run (a resumed run counts only the last session). */
  elapsedMs: number
  dataset: { path: string; sha256: string }
  sandbox: { python: string; network: string; memoryMb: number; timeoutMs: number }
  finishedAt: string
}

/** The rows of the summary table shown at the end of a run. */
export function summaryTable(summary: HumanEvalSummary, reportPath: string): string[][] {
  const t = summary.totals
  const rows: string[][] = [
    ['HumanEval', `${summary.model} · ${summary.mode}`],
    ...Object.entries(summary.passAtK).map(([k, v]) => [k, formatRate(v)]),
    ['problems', `${summary.problems} × ${summary.samplesPerProblem} sample(s)`],
    [
      'samples',
      `${summary.passed} passed, ${summary.failed} failed, ${summary.timeouts} timed out, ${summary.errors} errors`,
    ],
    ['tokens', `${formatTokens(t.inputTokens)} in / ${formatTokens(t.outputTokens)} out`],
    ['cost', formatCost(t.costUsd)],
    ['wall time', `${formatDuration(summary.elapsedMs)} (model and agent time ${formatDuration(t.wallMs)})`],
    ['turns', t.count ? (t.turns / t.count).toFixed(1) : '0'],
    ['report', reportPath],
  ]
  return rows
}

export function humanEvalMarkdown(
  summary: HumanEvalSummary,
  scores: HumanEvalScores,
  chartFile: string,
  others: RunSummaryHead[],
): string {
  const t = summary.totals
  const overview = markdownTable([
    ['metric', 'value'],
    ...Object.entries(summary.passAtK).map(([k, v]) => [k, formatRate(v)]),
    ['problems', String(summary.problems)],
    ['samples per problem', String(summary.samplesPerProblem)],
    [
      'passed / failed / timed out / errors',
      `${summary.passed} / ${summary.failed} / ${summary.timeouts} / ${summary.errors}`,
    ],
    ['input tokens', String(t.inputTokens)],
    ['output tokens', String(t.outputTokens)],
    ['cost', formatCost(t.costUsd)],
    ['wall time (this session)', formatDuration(summary.elapsedMs)],
    ['model / agent time (sum)', formatDuration(t.wallMs)],
    ['turns per sample', t.count ? (t.turns / t.count).toFixed(2) : '0'],
  ])
  const perProblem = markdownTable([
    ['task', 'passed', 'tokens', 'cost', 'wall', 'turns', 'first failure'],
    ...scores.perProblem.map((p) => [
      p.taskId,
      `${p.c}/${p.n}${p.errors ? ` (+${p.errors} errors)` : ''}`,
      formatTokens(p.totalTokens),
      formatCost(p.costUsd),
      formatDuration(p.wallMs),
      String(p.turns),
      p.detail.slice(0, 80),
    ]),
  ])
  const comparison = others.length
    ? `\n\nOther runs in this folder: ${others.map((o) => `${o.label} (${(o.score * 100).toFixed(1)}%, ${formatCost(o.costUsd)})`).join(', ')}.`
    : ''
  return `# HumanEval — ${summary.model} (${summary.mode} mode)

Finished ${summary.finishedAt}. Dataset \`${summary.dataset.path}\` (sha256 \`${summary.dataset.sha256.slice(0, 12)}\`).
Candidates ran with \`${summary.sandbox.python}\`: ${summary.sandbox.timeoutMs} ms timeout, ${summary.sandbox.memoryMb} MiB address space, network isolation: ${summary.sandbox.network}.

## Results

${overview}

![cost vs pass@1](${chartFile})${comparison}

## Per problem

${perProblem}
`
}
