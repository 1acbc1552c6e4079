/**
 * Memories on Postgres: as memories.ts, searched through the generated `search` tsvector
 * (migration 0001 of drizzle/postgres). The words of the query are OR-ed like the FTS5 query;
 * `rank` is the negated ts_rank, so lower is better on both backends, as bm25 is.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm'
import { NotFoundError } from '../errors.js'
import { ftsQuery, queryTerms } from '../fts-query.js'
import { DEFAULT_HITS, memoryTags, SNIPPET_TOKENS, scopeList } from '../memories.js'
import { memories } from '../schema-pg.js'
import { toMemory } from '../session-records.js'
import type { Memory, MemoryHit, NewMemory } from '../session-types.js'
import { checkAmount, requireId, requireText } from '../validation.js'
import { type PgCtx, write } from './context.js'
import { must } from './projects.js'
import { assertSession } from './sessions.js'

export function saveMemory(ctx: PgCtx, input: NewMemory): Promise<Memory> {
  const scope = requireText(input.scope, 'scope', 'memory')
  const content = requireText(input.content, 'content', 'memory')
  const tags = memoryTags(input.tags)
  const sessionId = input.sessionId ?? null
  return write(ctx, async (tx) => {
    if (sessionId !== null) await assertSession(tx, sessionId)
    const [row] = await tx.db
      .insert(memories)
      .values({ scope, content, tags, sessionId, createdAt: new Date() })
      .returning()
    return toMemory(must(row))
  })
}

export async function searchMemories(
  ctx: PgCtx,
  query: string,
  options: { scopes: string[]; limit?: number },
): Promise<MemoryHit[]> {
  ftsQuery(query) // the same validation (a string with words) and errors as SQLite's
  const scopes = scopeList(options?.scopes)
  const limit = checkAmount(options.limit ?? DEFAULT_HITS, 'limit', true)
  if (scopes.length === 0 || limit === 0) return []
  // Terms are runs of letters, digits and underscores: nothing in them is tsquery syntax.
  const match = queryTerms(query).join(' | ')
  const q = sql`to_tsquery('english', ${match})`
  const options_ = `StartSel=«, StopSel=», MaxWords=${SNIPPET_TOKENS}, MinWords=${Math.ceil(SNIPPET_TOKENS / 2)}, ShortWord=0, MaxFragments=1, FragmentDelimiter=…`
  const rows = await ctx.db
    .select({
      id: memories.id,
      scope: memories.scope,
      content: memories.content,
      tags: memories.tags,
      sessionId: memories.sessionId,
      createdAt: memories.createdAt,
      rank: sql<number>`-ts_rank("search", ${q})`.mapWith(Number),
      snippet: sql<string>`ts_headline('english', ${memories.content}, ${q}, ${options_})`,
    })
    .from(memories)
    .where(sql`"search" @@ ${q} AND ${inArray(memories.scope, scopes)}`)
    .orderBy(sql`ts_rank("search", ${q}) DESC`, desc(memories.id))
    .limit(limit)
  return rows.map(({ rank, snippet, ...row }) => ({ ...toMemory(row), rank, snippet }))
}

export async function listMemories(ctx: PgCtx, scopes: string[], limit?: number): Promise<Memory[]> {
  const list = scopeList(scopes)
  if (list.length === 0) return []
  const query = ctx.db
    .select({
      id: memories.id,
      scope: memories.scope,
      content: memories.content,
      tags: memories.tags,
      sessionId: memories.sessionId,
      createdAt: memories.createdAt,
    })
    .from(memories)
    .where(inArray(memories.scope, list))
    .orderBy(desc(memories.id))
  const rows = limit === undefined ? await query : await query.limit(checkAmount(limit, 'limit', true))
  return rows.map(toMemory)
}

export function deleteMemory(ctx: PgCtx, id: number): Promise<void> {
  const memoryId = requireId(id, 'id')
  return write(ctx, async (tx) => {
    const deleted = await tx.db
      .delete(memories)
      .where(eq(memories.id, memoryId))
      .returning({ id: memories.id })
    if (deleted.length === 0) throw new NotFoundError('memory', memoryId)
  })
}
