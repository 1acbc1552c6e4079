import { computeCost, type ModelInfo, type Usage } from '@penguin-ai/llm'
import { z } from 'zod'

/** What every benchmark records for each problem or instance it runs. */
export const RunMetricsSchema = z.object({
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
  /** Wall time of the model/agent part, in milliseconds. */
  wallMs: z.number(),
  /** Model calls made. */
  turns: z.number(),
})

export type RunMetrics = z.infer<typeof RunMetricsSchema>

export function metricsFrom(
  model: string,
  usage: Usage,
  costUsd: number,
  wallMs: number,
  turns: number,
): RunMetrics {
  return {
    model,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    totalTokens: usage.totalTokens,
    costUsd,
    wallMs,
    turns,
  }
}

export function costOf(info: ModelInfo, usage: Usage): number {
  return computeCost(info, usage)
}

export interface MetricTotals {
  inputTokens: number
  outputTokens: number
  totalTokens: number
  costUsd: number
  /** Sum of per-item wall times (work time, not elapsed time when run concurrently). */
  wallMs: number
  turns: number
  count: number
}

export function totalMetrics(items: readonly RunMetrics[]): MetricTotals {
  const totals: MetricTotals = {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    wallMs: 0,
    turns: 0,
    count: items.length,
  }
  for (const m of items) {
    totals.inputTokens += m.inputTokens
    totals.outputTokens += m.outputTokens
    totals.totalTokens += m.totalTokens
    totals.costUsd += m.costUsd
    totals.wallMs += m.wallMs
    totals.turns += m.turns
  }
  return totals
}
