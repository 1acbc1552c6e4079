/** Reading the append-only `events` table. */
import { and, asc, eq, gt, type SQL } from 'drizzle-orm'
import type { Ctx } from './context.js'
import { toEvent } from './row-values.js'
import { events } from './schema.js'
import type { EventFilter, StoredEvent } from './types.js'

/** Ascending id; `afterId` resumes a feed. */
export function listEvents(ctx: Ctx, filter: EventFilter = {}): StoredEvent[] {
  const conditions: (SQL | undefined)[] = []
  if (filter.projectId !== undefined) conditions.push(eq(events.projectId, filter.projectId))
  if (filter.taskId !== undefined) conditions.push(eq(events.taskId, filter.taskId))
  if (filter.afterId !== undefined) conditions.push(gt(events.id, filter.afterId))
  const query = ctx.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.id))
  const rows = filter.limit === undefined ? query.all() : query.limit(Math.max(0, filter.limit)).all()
  return rows.map(toEvent)
}
