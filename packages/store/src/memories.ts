/** Memories: notes kept per scope (a project or a workspace), found again by full-text search. */
import { desc, eq, inArray } from 'drizzle-orm'
import { type Ctx, prepared, write } from './context.js'
import { NotFoundError, ValidationError } from './errors.js'
import { ftsQuery } from './fts-query.js'
import { memories } from './schema.js'
import { toMemory } from './session-records.js'
import type { Memory, MemoryHit, NewMemory } from './session-types.js'
import { assertSession } from './sessions.js'
import { checkAmount, requireId, requireText } from './validation.js'

export const DEFAULT_HITS = 5
/** Words of context `snippet()` keeps around the matches. */
export const SNIPPET_TOKENS = 16
/** bm25 weights of the FTS columns (content, tags): a tag is a deliberate keyword. */
const SEARCH = `
  SELECT m.id, m.scope, m.content, m.tags, m.session_id AS sessionId, m.created_at AS createdAt,
    bm25(memories_fts, 1.0, 2.0) AS rank,
    snippet(memories_fts, 0, '«', '»', '…', ${SNIPPET_TOKENS}) AS snippet
  FROM memories_fts JOIN memories AS m ON m.id = memories_fts.rowid
  WHERE memories_fts MATCH :match AND m.scope IN (SELECT value FROM json_each(:scopes))
  ORDER BY rank, m.id DESC
  LIMIT :limit`

interface HitRow {
  id: number
  scope: string
  content: string
  tags: string
  sessionId: string | null
  createdAt: number
  rank: number
  snippet: string
}

export function saveMemory(ctx: Ctx, input: NewMemory): Memory {
  const scope = requireText(input.scope, 'scope', 'memory')
  const content = requireText(input.content, 'content', 'memory')
  const tags = memoryTags(input.tags)
  const sessionId = input.sessionId ?? null
  return write(ctx, () => {
    if (sessionId !== null) assertSession(ctx, sessionId)
    const row = ctx.db
      .insert(memories)
      .values({ scope, content, tags, sessionId, createdAt: new Date() })
      .returning()
      .get()
    return toMemory(row)
  })
}

/** Best first (bm25), only within `scopes`. */
export function searchMemories(
  ctx: Ctx,
  query: string,
  options: { scopes: string[]; limit?: number },
): MemoryHit[] {
  const match = ftsQuery(query)
  const scopes = scopeList(options?.scopes)
  const limit = checkAmount(options.limit ?? DEFAULT_HITS, 'limit', true)
  if (scopes.length === 0 || limit === 0) return []
  const statement = prepared(ctx, 'memories.search', () => ctx.sqlite.prepare<unknown[], HitRow>(SEARCH))
  return statement.all({ match, scopes: JSON.stringify(scopes), limit }).map((row) => ({
    ...toMemory({ ...row, tags: parseTags(row.tags), createdAt: new Date(row.createdAt) }),
    rank: row.rank,
    snippet: row.snippet,
  }))
}

/** Newest first. */
export function listMemories(ctx: Ctx, scopes: string[], limit?: number): Memory[] {
  const list = scopeList(scopes)
  if (list.length === 0) return []
  const query = ctx.db.select().from(memories).where(inArray(memories.scope, list)).orderBy(desc(memories.id))
  const rows = limit === undefined ? query.all() : query.limit(checkAmount(limit, 'limit', true)).all()
  return rows.map(toMemory)
}

export function deleteMemory(ctx: Ctx, id: number): void {
  const memoryId = requireId(id, 'id')
  write(ctx, () => {
    const result = ctx.db.delete(memories).where(eq(memories.id, memoryId)).run()
    if (result.changes === 0) throw new NotFoundError('memory', memoryId)
  })
}

export function scopeList(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((scope) => typeof scope !== 'string'))
    throw new ValidationError('scopes must be a list of scope strings such as "project:1"', 'scopes')
  return [...new Set(value as string[])]
}

/** Trimmed, without empties or repeats, in the order given. */
export function memoryTags(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string'))
    throw new ValidationError('tags must be a list of strings', 'tags')
  return [...new Set((value as string[]).map((tag) => tag.trim()).filter((tag) => tag !== ''))]
}

function parseTags(json: string): string[] {
  const tags: unknown = JSON.parse(json)
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : []
}
