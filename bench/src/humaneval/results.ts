import { z } from 'zod'
import { type MetricTotals, RunMetricsSchema, totalMetrics } from '../metrics.js'
import { meanPassAtK, reportedKs } from '../passk.js'

/** One line of results.jsonl: one sample of one problem. */
export const SampleRecordSchema = z.object({
  task_id: z.string(),
  sample: z.number().int().nonnegative(),
  /** `error`: the model failed (after retries); such samples are run again by --resume. */
  status: z.enum(['passed', 'failed', 'timeout', 'error']),
  /** Why it failed: the last line of the traceback, the timeout, the model error. */
  detail: z.string(),
  /** The model's reply (completion mode) or the agent's solution file (agent mode). */
  completion: z.string(),
  /** Time spent executing the candidate. */
  execMs: z.number(),
  metrics: RunMetricsSchema,
})

export type SampleRecord = z.infer<typeof SampleRecordSchema>

export const sampleKey = (taskId: string, sample: number) => `${taskId}#${sample}`

/** The latest record per sample (a resumed run may have retried errored ones). */
export function latestRecords(records: readonly SampleRecord[]): SampleRecord[] {
  const byKey = new Map<string, SampleRecord>()
  for (const record of records) byKey.set(sampleKey(record.task_id, record.sample), record)
  return [...byKey.values()]
}

export interface ProblemResult {
  taskId: string
  n: number
  c: number
  errors: number
  costUsd: number
  totalTokens: number
  wallMs: number
  turns: number
  /** The first failing sample's reason. */
  detail: string
}

export interface HumanEvalScores {
  /** `pass@1`, `pass@10`, … for the k the samples allow. */
  passAtK: Record<string, number>
  problems: number
  samples: number
  passed: number
  failed: number
  timeouts: number
  errors: number
  totals: MetricTotals
  perProblem: ProblemResult[]
}

/**
 * Scores the samples run so far. Errored samples (the model failed) count towards nothing: pass@k
 * is over the samples that produced a candidate, per problem.
 */
export function scoreHumanEval(records: readonly SampleRecord[], samplesPerProblem: number): HumanEvalScores {
  const latest = latestRecords(records)
  const byTask = new Map<string, SampleRecord[]>()
  for (const record of latest) byTask.set(record.task_id, [...(byTask.get(record.task_id) ?? []), record])
  const perProblem: ProblemResult[] = [...byTask.entries()].map(([taskId, samples]) => {
    const judged = samples.filter((s) => s.status !== 'error')
    const totals = totalMetrics(samples.map((s) => s.metrics))
    return {
      taskId,
      n: judged.length,
      c: judged.filter((s) => s.status === 'passed').length,
      errors: samples.length - judged.length,
      costUsd: totals.costUsd,
      totalTokens: totals.totalTokens,
      wallMs: totals.wallMs,
      turns: totals.turns,
      detail: samples.find((s) => s.status !== 'passed')?.detail ?? '',
    }
  })
  const passAtK: Record<string, number> = {}
  for (const k of reportedKs(samplesPerProblem)) {
    const value = meanPassAtK(perProblem, k)
    if (value !== undefined) passAtK[`pass@${k}`] = value
  }
  const count = (status: SampleRecord['status']) => latest.filter((s) => s.status === status).length
  return {
    passAtK,
    problems: perProblem.length,
    samples: latest.length,
    passed: count('passed'),
    failed: count('failed'),
    timeouts: count('timeout'),
    errors: count('error'),
    totals: totalMetrics(latest.map((s) => s.metrics)),
    perProblem: perProblem.sort((a, b) => naturalCompare(a.taskId, b.taskId)),
  }
}

/** `HumanEval/2` before `HumanEval/10`. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true })
}
