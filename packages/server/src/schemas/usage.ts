/** What has been spent: `GET /usage`. */
import type { UsageSummary, UsageTotals } from '@penguin-ai/store'
import { z } from 'zod'

const Totals = {
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_tokens: z.number().int().meta({ description: 'of input_tokens: read from the prompt cache' }),
  cache_write_tokens: z.number().int().meta({ description: 'of input_tokens: written to the prompt cache' }),
  cost_usd: z.number(),
  runs: z.number().int().meta({ description: 'project runs (planning and tasks) plus session prompts' }),
}

export const UsageSummarySchema = z
  .object({
    since: z.string().nullable(),
    total: z.object(Totals),
    by_model: z.array(z.object({ model: z.string(), ...Totals })),
    by_project: z.array(z.object({ project_id: z.number().int(), name: z.string(), ...Totals })),
  })
  .meta({ id: 'UsageSummary' })
export type UsageSummaryJson = z.infer<typeof UsageSummarySchema>

export const UsageQuery = z.object({
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .meta({
      description:
        'ISO-8601 time, e.g. 2025-01-31T00:00:00Z or 2025-01-31 (UTC midnight): only what was spent from then on',
    }),
})

function totals(value: UsageTotals): z.infer<z.ZodObject<typeof Totals>> {
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
