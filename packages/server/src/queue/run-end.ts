/**
 * The end of a session run on a worker, in one transaction: its lease is finished, and the
 * messages sent to it over the database that it never took in (they reached the worker after the
 * run had stopped reading, in the last moments before this) start the run after it — the first is
 * its prompt, the others are queued for it — as a message sent a moment later would have. Servers
 * queue a message for a run only while its lease is unfinished (the row's lock orders the two:
 * `PostgresLive.sendRunControl`), so every message is either taken here or refused to its sender,
 * who starts the next run with it: none is left behind, none is lost if this worker dies (the
 * transaction either happened or not).
 */
import { inboxClosedOf } from '@penguin-ai/store'
import { parseRunMessage, type RunMessage, runAddress } from '../runtime/coordination.js'
import type { Notice, RunEndReport } from '../runtime/run-drive.js'
import type { Outcome } from './execution.js'
import { newQueuedRunId, type SessionRunJob } from './job.js'
import { finishLease, insertLease } from './leases.js'
import type { QueueConnection } from './pg.js'

export interface SessionRunEnd {
  /** False when the lease was no longer this worker's (taken back): nothing was recorded. */
  finished: boolean
  /** The run the late messages start, queued (dispatched by `report.afterEnd`). */
  next?: SessionRunJob
  report: RunEndReport
}

export async function finishSessionRun(
  connection: QueueConnection,
  workerId: string,
  job: SessionRunJob,
  outcome: Outcome,
  handled: readonly number[],
): Promise<SessionRunEnd> {
  const taken = new Set(handled)
  const ended = await connection.transaction(async (sql) => {
    // First: the lease's row lock makes a server's message for the run wait, then see it ended.
    if (!(await finishLease(sql, job.runId, workerId, outcome.status, outcome.record)))
      return { finished: false }
    const rows = await sql<{ id: string; body: string }>(
      'DELETE FROM control_messages WHERE node_id = $1 RETURNING id, body',
      [runAddress(job.runId)],
    )
    const { late, nextRunId } = lateMessages(rows, taken)
    const [first, ...rest] = late
    if (!first) return { finished: true }
    const next: SessionRunJob = {
      kind: 'session',
      runId: nextRunId ?? newQueuedRunId(),
      sessionId: job.sessionId,
      workspace: job.workspace,
      content: first.text,
      autoApprove: job.autoApprove,
    }
    // The session's lease ended just above, in this transaction: it cannot be taken meanwhile.
    await insertLease(sql, next)
    for (const message of rest)
      await sql('INSERT INTO control_messages (node_id, body) VALUES ($1, $2)', [
        runAddress(next.runId),
        JSON.stringify(message),
      ])
    return { finished: true, next, late }
  })
  if (!ended.finished || !('next' in ended) || !ended.next) return { finished: ended.finished, report: {} }
  const { next, late } = ended
  return {
    finished: true,
    next,
    report: {
      notices: [lateNotice(late, next.runId)],
      // A send that fails leaves the lease queued: the next sweep dispatches it.
      afterEnd: () => connection.send(next),
    },
  }
}

/**
 * The run's messages it never took in, in the order the next run takes them, and that run's id as
 * senders were told it once the run had stopped reading (its `closeRunInbox` row). The first message
 * that came after that row is the prompt (its sender was answered so); without one, the oldest.
 */
function lateMessages(
  rows: readonly { id: string; body: string }[],
  taken: ReadonlySet<number>,
): { late: RunMessage[]; nextRunId: string | undefined } {
  const sorted = [...rows].sort((a, b) => Number(a.id) - Number(b.id))
  let closedAt: number | undefined
  let nextRunId: string | undefined
  for (const row of sorted) {
    const closed = inboxClosedOf(row.body)
    if (closed) {
      closedAt = Number(row.id)
      nextRunId = closed.nextRunId
    }
  }
  const late = sorted.flatMap((row) => {
    const message = taken.has(Number(row.id)) ? undefined : parseRunMessage(row.body)
    return message ? [{ id: Number(row.id), message }] : []
  })
  const prompt = closedAt === undefined ? -1 : late.findIndex((row) => row.id > (closedAt as number))
  const ordered = prompt > 0 ? [late[prompt], ...late.filter((_, at) => at !== prompt)] : late
  return { late: ordered.flatMap((row) => (row ? [row.message] : [])), nextRunId }
}

function lateNotice(late: RunMessage[], nextRunId: string): Notice {
  const quoted = late.map((message) => JSON.stringify(message.text)).join(', ')
  const what = late.length === 1 ? 'A message reached the run' : `${late.length} messages reached the run`
  return {
    source: 'steering',
    level: 'info',
    message: `${what} after it had stopped reading: ${late.length === 1 ? 'it starts' : 'they start'} the next run (${nextRunId}): ${quoted}`,
  }
}
