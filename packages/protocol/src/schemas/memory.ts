/** Memories: notes kept per scope (`project:<id>`, `workspace:<path>`), found by full-text search. */
import { z } from 'zod'
import { IsoTime } from './common.js'

export const MemorySchema = z
  .object({
    id: z.number().int(),
    scope: z.string(),
    content: z.string(),
    tags: z.array(z.string()),
    session_id: z.string().nullable(),
    created_at: IsoTime,
    rank: z.number().optional().meta({ description: 'search only: bm25 rank, lower is better' }),
    snippet: z
      .string()
      .optional()
      .meta({ description: 'search only: the content with matches marked «like this»' }),
  })
  .meta({ id: 'Memory' })
export type MemoryJson = z.infer<typeof MemorySchema>

export const DEFAULT_MEMORY_LIMIT = 20
export const MAX_MEMORY_LIMIT = 200

/** `scope` may repeat (`?scope=project:1&scope=workspace:/w`); the route reads every value. */
export const ListMemoryQuery = z.object({
  scope: z
    .string()
    .trim()
    .min(1)
    .meta({ description: 'required; repeat it to read several scopes (project:<id>, workspace:<path>)' }),
  q: z.string().trim().min(1).optional().meta({ description: 'full-text search, best match first' }),
  limit: z.coerce.number().int().min(1).max(MAX_MEMORY_LIMIT).optional(),
})

export const CreateMemoryBody = z
  .strictObject({
    scope: z.string().trim().min(1),
    content: z.string().trim().min(1).max(100_000),
    tags: z.array(z.string()).max(50).optional(),
    session_id: z.string().min(1).optional(),
  })
  .meta({ id: 'CreateMemory' })
