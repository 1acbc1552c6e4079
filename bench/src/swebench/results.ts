import { z } from 'zod'
import { type MetricTotals, RunMetricsSchema, totalMetrics } from '../metrics.js'

const OutcomesSchema = z.object({ passed: z.array(z.string()), failed: z.array(z.string()) })

/** One line of results.jsonl: one instance. */
export const InstanceRecordSchema = z.object({
  instance_id: z.string(),
  /**
   * `resolved` / `unresolved` by the local evaluator; `not_evaluated` when it could not judge
   * (no test_cmd, or --no-eval); `error` when no prediction was produced (retried by --resume).
   */
  status: z.enum(['resolved', 'unresolved', 'not_evaluated', 'error']),
  detail: z.string(),
  /** How the agent's run ended (`completed`, `max_iterations`, …), or `gold`. */
  runStatus: z.string(),
  patchLines: z.number(),
  failToPass: OutcomesSchema,
  passToPass: OutcomesSchema,
  evalMs: z.number(),
  metrics: RunMetricsSchema,
})

export type InstanceRecord = z.infer<typeof InstanceRecordSchema>

/** One line of predictions.jsonl, the official evaluator's input. */
export const PredictionSchema = z.object({
  instance_id: z.string(),
  model_name_or_path: z.string(),
  model_patch: z.string(),
})

export type Prediction = z.infer<typeof PredictionSchema>

export interface SweScores {
  instances: number
  resolved: number
  unresolved: number
  notEvaluated: number
  errors: number
  totals: MetricTotals
  records: InstanceRecord[]
}

export function latestById<T extends { instance_id: string }>(records: readonly T[]): T[] {
  const byId = new Map<string, T>()
  for (const record of records) byId.set(record.instance_id, record)
  return [...byId.values()]
}

export function scoreSwe(records: readonly InstanceRecord[]): SweScores {
  const latest = latestById(records).sort((a, b) => a.instance_id.localeCompare(b.instance_id))
  const count = (status: InstanceRecord['status']) => latest.filter((r) => r.status === status).length
  return {
    instances: latest.length,
    resolved: count('resolved'),
    unresolved: count('unresolved'),
    notEvaluated: count('not_evaluated'),
    errors: count('error'),
    totals: totalMetrics(latest.map((r) => r.metrics)),
    records: latest,
  }
}
