/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { UsageSummaryJson, UsageTotalsJson } from '@penguin-ai/protocol/api'
import type { UsageSummary, UsageTotals } from '@penguin-ai/store'

function totals(value: UsageTotals): UsageTotalsJson {
  return {
    input_tokens: value.inputTokens,
    output_tokens: value.outputTokens,
    cache_read_tokens: value.cacheReadTokens,
    cache_write_tokens: value.cacheWriteTokens,
    cost_usd: value.costUsd,
    runs: value.runs,
  }
}

export function usageJson(summary: UsageSummary, since: string | undefined): UsageSummaryJson {
  return {
    since: since ?? null,
    total: totals(summary.total),
    by_model: summary.byModel.map((row) => ({ model: row.model, ...totals(row) })),
    by_project: summary.byProject.map((row) => ({
      project_id: row.projectId,
      name: row.name,
      ...totals(row),
    })),
  }
}
