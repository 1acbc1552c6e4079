/** What has been spent: `GET /usage`. */
import { z } from 'zod'

const Totals = {
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_tokens: z.number().int().meta({ description: 'of input_tokens: read from the prompt cache' }),
  cache_write_tokens: z.number().int().meta({ description: 'of input_tokens: written to the prompt cache' }),
  cost_usd: z.number(),
  runs: z.number().int().meta({ description: 'project runs (planning and tasks) plus session prompts' }),
}

export type UsageTotalsJson = z.infer<z.ZodObject<typeof Totals>>

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
