/**
 * Schemas shared by every resource: the error body, list envelopes, path ids. Each schema is the
 * contract twice over: requests are parsed with it and the OpenAPI document is generated from it.
 */
import { z } from 'zod'

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          'stable code: invalid_request, unauthorized, forbidden, not_found, conflict, payload_too_large, unprocessable, rate_limited, internal',
      }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' })

/** `{items: [...]}` (docs/api.md: every list). */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) })
}

export const IsoTime = z.string().meta({ description: 'ISO-8601 time (UTC)', format: 'date-time' })

/** A positive integer id in a path (`/checkpoints/12`). */
export const IntId = z.coerce.number().int().positive()

export const SessionIdParam = z.object({
  id: z.string().min(1).meta({ description: 'session id (ses_…) or a unique prefix' }),
})
export const IntIdParam = z.object({ id: IntId })
export const StringIdParam = z.object({ id: z.string().min(1) })

export const UsageSchema = z
  .object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cache_read_tokens: z.number().int().meta({ description: 'of input_tokens: read from the prompt cache' }),
    cache_write_tokens: z
      .number()
      .int()
      .meta({ description: 'of input_tokens: written to the prompt cache' }),
    cached_input_tokens: z
      .number()
      .int()
      .meta({ description: 'the same as cache_read_tokens (earlier name)' }),
    total_tokens: z.number().int(),
  })
  .meta({ id: 'Usage' })
