/**
 * The run-time tables several servers and workers share on one Postgres database (migration
 * 0004): live engine events with database-wide ids, the processes alive, pending permission asks,
 * and control messages addressed to a process or to a run (steering: kept until the message is
 * stored with its session — see AppendOptions.consumes — or the run's end takes it). The server
 * builds its event hub and its coordination on this; the SQL lives here with the rest.
 *
 * Event ids are COMMIT-ORDERED: every append takes one transaction-scoped advisory lock before it
 * inserts, so an id is only allocated once every smaller id has committed (or rolled back). A reader
 * that has seen id N can ask for `id > N` and never miss one that commits late.
 */
import type pg from 'pg'
import { eventsNoticeBody } from './event-notice.js'
import { CONTROL_CHANNEL, EVENTS_CHANNEL, type LiveListeners, listenForNotifications } from './listen.js'

/** `pg_advisory_xact_lock` key serialising appends to live_events ("live"). */
const APPEND_LOCK = 0x6c697665
/** First key of the lock serialising the messages sent to one run (the second: its address) ("send"). */
const RUN_SEND_LOCK = 0x73656e64
/**
 * How the row saying a run stopped reading begins (`closeRunInbox`): `{"inboxClosed":true,"nextRunId":…}`.
 * Not a message (a run's readers skip what is not one); its run's end takes it with the rest.
 */
export const INBOX_CLOSED_PREFIX = '{"inboxClosed":true,'

export interface NewLiveEvent {
  type: string
  sessionId: string | null
  runId: string | null
  /** The event's data as JSON text (stored as it is, so every reader sends the same bytes). */
  data: string
}

export interface LiveEventRow extends NewLiveEvent {
  id: number
}

export interface LivePermission {
  id: string
  sessionId: string
  runId: string
  nodeId: string
  /** The ask as JSON text (the server's PendingPermission). */
  body: string
}

/** A message queued for a run (see `PostgresLive.sendRunControl`). */
export interface RunControlSent {
  /**
   * Set when the run had already stopped reading (`closeRunInbox`): the run its end starts next,
   * which takes the message — as its prompt when `first`, else as a message queued for it.
   */
  nextRunId: string | null
  /** No other message reached the run after it stopped reading: this one is the next run's prompt. */
  first: boolean
}

export interface PostgresLive {
  /**
   * Appends events in order (one transaction) and announces them — a small batch with the
   * notification itself (`LiveListeners.events`); resolves to their ids.
   */
  appendEvents(events: readonly NewLiveEvent[]): Promise<number[]>
  /** Events with id > afterId in id order, optionally of one session or run and of some types; at most `limit`. */
  eventsAfter(
    afterId: number,
    options?: { sessionId?: string; runId?: string; types?: readonly string[]; limit?: number },
  ): Promise<LiveEventRow[]>
  /** The newest event id (0 before any). */
  lastEventId(): Promise<number>
  /** Events up to this id were deleted by pruning (0: none ever). */
  prunedThrough(): Promise<number>
  /**
   * Deletes events beyond the newest `keepEvents` and those older than `maxAgeMs`; returns the new
   * pruned-through mark.
   */
  pruneEvents(limits: { keepEvents: number; maxAgeMs: number }): Promise<number>
  /** One dedicated LISTEN connection, reconnecting until stopped. */
  listen(listeners: LiveListeners): Promise<() => Promise<void>>

  heartbeat(nodeId: string, kind: string): Promise<void>
  /** A node leaving: its row, asks and unread messages go. */
  forgetNode(nodeId: string): Promise<void>
  /** Forgets nodes silent for `silentMs` (killed ones), with their asks and unread messages. */
  forgetSilentNodes(silentMs: number): Promise<number>

  addPermission(permission: LivePermission): Promise<void>
  dropPermission(id: string): Promise<void>
  /** Removes the ask and says who waits on it: the one answer that counts. Undefined: none pending. */
  takePermission(id: string): Promise<LivePermission | undefined>
  /** Asks of live nodes (heart-beaten within `staleAfterMs`), oldest first. */
  listPermissions(options: { sessionId?: string; staleAfterMs: number }): Promise<LivePermission[]>

  /** Queues a message for a node and tells it. */
  sendControl(nodeId: string, body: string): Promise<void>
  /** The node's queued messages, oldest first, removed as they are read. */
  takeControl(nodeId: string): Promise<string[]>
  /**
   * Queues a message for the process running `runId` (at `address`) while the run's lease
   * (`run_leases`) is unfinished, and tells it; false once the run has ended. A lease's end being
   * written at that moment is waited for (its row lock): the message is queued before the end takes
   * the run's messages (in the same transaction), or refused — never left behind for nobody.
   */
  sendRunControl(runId: string, address: string, body: string): Promise<RunControlSent | undefined>
  /**
   * The run at `address` stopped reading its messages (its end is under way): from now on a sender
   * is told that the run `nextRunId` takes its message (see `RunControlSent`). A row of the run's
   * messages, taken by its end with them.
   */
  closeRunInbox(address: string, nextRunId: string): Promise<void>
  /** The messages queued at `address` but those `seen`, oldest first, LEFT in place. */
  readControl(address: string, seen: readonly number[]): Promise<{ id: number; body: string }[]>
}

interface PermissionRow {
  id: string
  session_id: string
  run_id: string
  node_id: string
  body: string
}

const permissionOf = (row: PermissionRow): LivePermission => ({
  id: row.id,
  sessionId: row.session_id,
  runId: row.run_id,
  nodeId: row.node_id,
  body: row.body,
})

export function createPostgresLive(pool: pg.Pool, connect: () => pg.Client): PostgresLive {
  const rows = async <T>(text: string, values: unknown[] = []): Promise<T[]> =>
    (await pool.query(text, values)).rows as T[]

  return {
    async appendEvents(events) {
      if (events.length === 0) return []
      // One statement, so one round trip and its own transaction: it takes the lock, inserts the
      // batch and NOTIFYs it (delivered at commit; the batch itself when small: event-notice.ts).
      // The lock comes first: every row the INSERT takes an id for is joined with the lock's one
      // row, so no id exists before the lock is held, and the lock is held until the statement
      // commits. Rows take their ids in the batch's order (ORDER BY the position).
      const inserted = await rows<{ id: string }>(
        `WITH appended AS (
           INSERT INTO live_events (type, session_id, run_id, data)
           SELECT batch.type, batch.session_id, batch.run_id, batch.data
           FROM (SELECT pg_advisory_xact_lock($1)) AS turn,
             unnest($2::text[], $3::text[], $4::text[], $5::text[])
               WITH ORDINALITY AS batch(type, session_id, run_id, data, position)
           ORDER BY batch.position
           RETURNING id
         ), notified AS (
           SELECT pg_notify($6, CASE WHEN $7::text IS NULL THEN max(id)::text
             ELSE min(id)::text || ':' || max(id)::text || ':' || $7::text END) FROM appended
         )
         SELECT appended.id FROM appended, notified`,
        [
          APPEND_LOCK,
          events.map((event) => event.type),
          events.map((event) => event.sessionId),
          events.map((event) => event.runId),
          events.map((event) => event.data),
          EVENTS_CHANNEL,
          eventsNoticeBody(events),
        ],
      )
      return inserted.map((row) => Number(row.id)).sort((a, b) => a - b)
    },

    async eventsAfter(afterId, options = {}) {
      const conditions = ['id > $1']
      const values: unknown[] = [afterId]
      if (options.sessionId !== undefined) {
        values.push(options.sessionId)
        conditions.push(`session_id = $${values.length}`)
      }
      if (options.runId !== undefined) {
        values.push(options.runId)
        conditions.push(`run_id = $${values.length}`)
      }
      if (options.types !== undefined) {
        values.push(options.types)
        conditions.push(`type = ANY($${values.length})`)
      }
      values.push(options.limit ?? 1_000)
      const found = await rows<{
        id: string
        type: string
        session_id: string | null
        run_id: string | null
        data: string
      }>(
        `SELECT id, type, session_id, run_id, data FROM live_events WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`,
        values,
      )
      return found.map((row) => ({
        id: Number(row.id),
        type: row.type,
        sessionId: row.session_id,
        runId: row.run_id,
        data: row.data,
      }))
    },

    async lastEventId() {
      const [row] = await rows<{ id: string | null }>('SELECT max(id) AS id FROM live_events')
      const newest = Number(row?.id ?? 0)
      return Math.max(newest, await this.prunedThrough())
    },

    async prunedThrough() {
      const [row] = await rows<{ value: string }>(
        "SELECT value FROM live_marks WHERE name = 'pruned_through'",
      )
      return Number(row?.value ?? 0)
    },

    async pruneEvents({ keepEvents, maxAgeMs }) {
      const [row] = await rows<{ cut: string | null }>(
        `SELECT greatest(
           (SELECT max(id) FROM live_events WHERE created_at < now() - $1 * interval '1 millisecond'),
           (SELECT max(id) - $2 FROM live_events)
         ) AS cut`,
        [maxAgeMs, keepEvents],
      )
      const cut = Number(row?.cut ?? 0)
      if (cut > 0) {
        await rows(
          `INSERT INTO live_marks (name, value) VALUES ('pruned_through', $1)
           ON CONFLICT (name) DO UPDATE SET value = greatest(live_marks.value, EXCLUDED.value)`,
          [cut],
        )
        await rows('DELETE FROM live_events WHERE id <= $1', [cut])
      }
      return this.prunedThrough()
    },

    listen(listeners) {
      return listenForNotifications(connect, listeners)
    },

    async heartbeat(nodeId, kind) {
      await rows(
        `INSERT INTO live_nodes (node_id, kind, heartbeat_at) VALUES ($1, $2, now())
         ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()`,
        [nodeId, kind],
      )
    },

    async forgetNode(nodeId) {
      await rows('DELETE FROM pending_permissions WHERE node_id = $1', [nodeId])
      await rows('DELETE FROM control_messages WHERE node_id = $1', [nodeId])
      await rows('DELETE FROM live_nodes WHERE node_id = $1', [nodeId])
    },

    async forgetSilentNodes(silentMs) {
      const gone = await rows<{ node_id: string }>(
        `DELETE FROM live_nodes WHERE heartbeat_at < now() - $1 * interval '1 millisecond' RETURNING node_id`,
        [silentMs],
      )
      if (gone.length === 0) return 0
      const ids = gone.map((row) => row.node_id)
      await rows('DELETE FROM pending_permissions WHERE node_id = ANY($1::text[])', [ids])
      await rows('DELETE FROM control_messages WHERE node_id = ANY($1::text[])', [ids])
      return ids.length
    },

    async addPermission(permission) {
      await rows(
        `INSERT INTO pending_permissions (id, session_id, run_id, node_id, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING`,
        [permission.id, permission.sessionId, permission.runId, permission.nodeId, permission.body],
      )
    },

    async dropPermission(id) {
      await rows('DELETE FROM pending_permissions WHERE id = $1', [id])
    },

    async takePermission(id) {
      const [row] = await rows<PermissionRow>(
        'DELETE FROM pending_permissions WHERE id = $1 RETURNING id, session_id, run_id, node_id, body',
        [id],
      )
      return row ? permissionOf(row) : undefined
    },

    async listPermissions({ sessionId, staleAfterMs }) {
      const found = await rows<PermissionRow>(
        `SELECT p.id, p.session_id, p.run_id, p.node_id, p.body FROM pending_permissions p
         JOIN live_nodes n ON n.node_id = p.node_id AND n.heartbeat_at > now() - $1 * interval '1 millisecond'
         WHERE $2::text IS NULL OR p.session_id = $2
         ORDER BY p.asked_at, p.id`,
        [staleAfterMs, sessionId ?? null],
      )
      return found.map(permissionOf)
    },

    async sendControl(nodeId, body) {
      await inTransaction(pool, async (client) => {
        await client.query('INSERT INTO control_messages (node_id, body) VALUES ($1, $2)', [nodeId, body])
        await client.query('SELECT pg_notify($1, $2)', [CONTROL_CHANNEL, nodeId])
      })
    },

    async sendRunControl(runId, address, body) {
      const queued = await inTransaction(pool, async (client) => {
        // Senders to one run take turns, so that of two arriving after the run stopped reading
        // only one is told its message is the next run's prompt (the statement below sees the
        // other's row once it committed).
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [RUN_SEND_LOCK, address])
        const { rows: queued } = await client.query<{ closed: string | null; first: boolean }>(
          `WITH lease AS (
             SELECT run_id FROM run_leases WHERE run_id = $1 AND finished_at IS NULL FOR SHARE
           ), closed AS (
             SELECT id, body FROM control_messages WHERE node_id = $2 AND starts_with(body, $5)
             ORDER BY id DESC LIMIT 1
           ), queued AS (
             INSERT INTO control_messages (node_id, body) SELECT $2, $3 FROM lease RETURNING id
           )
           SELECT (SELECT body FROM closed) AS closed,
             NOT EXISTS (SELECT 1 FROM control_messages c, closed WHERE c.node_id = $2 AND c.id > closed.id) AS first,
             pg_notify($4, $2)
           FROM queued`,
          [runId, address, body, CONTROL_CHANNEL, INBOX_CLOSED_PREFIX],
        )
        return queued
      })
      const [row] = queued
      if (!row) return undefined
      const nextRunId = row.closed ? (inboxClosedOf(row.closed)?.nextRunId ?? null) : null
      return { nextRunId, first: nextRunId !== null && row.first }
    },

    async closeRunInbox(address, nextRunId) {
      await rows('INSERT INTO control_messages (node_id, body) VALUES ($1, $2)', [
        address,
        inboxClosedBody(nextRunId),
      ])
    },

    async readControl(address, seen) {
      const found = await rows<{ id: string; body: string }>(
        'SELECT id, body FROM control_messages WHERE node_id = $1 AND NOT (id = ANY($2::bigint[])) ORDER BY id',
        [address, seen],
      )
      return found.map((row) => ({ id: Number(row.id), body: row.body }))
    },

    async takeControl(nodeId) {
      const found = await rows<{ id: string; body: string }>(
        'DELETE FROM control_messages WHERE node_id = $1 RETURNING id, body',
        [nodeId],
      )
      return found.sort((a, b) => Number(a.id) - Number(b.id)).map((row) => row.body)
    },
  }
}

function inboxClosedBody(nextRunId: string): string {
  const body = JSON.stringify({ inboxClosed: true, nextRunId })
  if (!body.startsWith(INBOX_CLOSED_PREFIX))
    throw new Error('the inbox-closed row must begin with its prefix')
  return body
}

/** The row saying a run stopped reading (see `closeRunInbox`): the run its end starts next. */
export function inboxClosedOf(body: string): { nextRunId: string } | undefined {
  if (!body.startsWith(INBOX_CLOSED_PREFIX)) return undefined
  try {
    const parsed = JSON.parse(body) as { nextRunId?: unknown }
    return typeof parsed.nextRunId === 'string' ? { nextRunId: parsed.nextRunId } : undefined
  } catch {
    return undefined
  }
}

/** Runs `fn` in one transaction on a connection of its own: committed when it resolves, rolled back when it throws. */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    try {
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    }
  } finally {
    client.release()
  }
}
