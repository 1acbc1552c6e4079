/**
 * Holding a session's row so a test can stop a run's store write at a chosen moment: the write
 * waits on the row lock while the test does what must happen "just then", then the lock goes.
 */
import pg from 'pg'

/**
 * The statements that write a session's conversation: a Postgres append updates the session first
 * (`update "sessions"`), other writes may reach `insert into "messages"` first — either may be the
 * one that waits.
 */
const SESSION_WRITES = `(query ILIKE 'update "sessions"%' OR query ILIKE 'insert into "messages"%')`

export interface HeldSessionRow {
  /**
   * Resolves once a write to the session waits for the lock (pg_stat_activity: a lock wait on this
   * database); rejects naming `what` after `timeoutMs` (default 60 s).
   */
  writeWaiting(what?: string, timeoutMs?: number): Promise<void>
  /** Commits the holding transaction, so the waiting write goes on; safe to call more than once. */
  release(): Promise<void>
}

/** Locks session `sessionId`'s row (`SELECT … FOR UPDATE` in a transaction of its own) on `url`. */
export async function holdSessionRow(url: string, sessionId: string): Promise<HeldSessionRow> {
  const holder = new pg.Client({ connectionString: url })
  await holder.connect()
  let released: Promise<void> | undefined
  const release = () => {
    released ??= holder
      .query('COMMIT')
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => holder.end())
    return released
  }
  try {
    await holder.query('BEGIN')
    const { rowCount } = await holder.query('SELECT id FROM sessions WHERE id = $1 FOR UPDATE', [sessionId])
    if (rowCount !== 1) throw new Error(`holdSessionRow: no session ${sessionId} to lock`)
  } catch (error) {
    await release()
    throw error
  }
  return {
    release,
    async writeWaiting(what = 'a write to the session to wait for its lock', timeoutMs = 60_000) {
      // A connection of its own: inside the holding transaction pg_stat_activity would be a snapshot.
      const watcher = new pg.Client({ connectionString: url })
      await watcher.connect()
      const deadline = Date.now() + timeoutMs
      try {
        for (;;) {
          const { rows } = await watcher.query<{ waiting: string }>(
            `SELECT count(*) AS waiting FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND ${SESSION_WRITES}`,
          )
          if (Number(rows[0]?.waiting) > 0) return
          // A bound, not a measurement: it only turns a wait that would hang into a clear failure.
          if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
          // Polled: PostgreSQL announces no lock wait (LISTEN/NOTIFY carries only explicit NOTIFYs,
          // and a waiting backend can send nothing), so pg_stat_activity is the only place to see
          // one. Test tooling only — one cheap catalog query per 20 ms on a connection of its own,
          // for the few seconds a test holds a row, ended by the bound above.
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      } finally {
        await watcher.end()
      }
    },
  }
}
