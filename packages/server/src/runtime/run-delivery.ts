/**
 * `POST /sessions/{id}/messages` with `delivery`: a message for the session's run in progress —
 * steering it, or queueing a follow-up — wherever the run runs. When the session has no run (or
 * its run is just ending) the message starts one instead, so a message accepted is never lost.
 */
import type { Delivery } from '@penguin-ai/engine'
import { HttpError } from '../deps.js'
import type { QueueDispatch } from '../queue/dispatch.js'
import type { Coordination, RunMessage } from './coordination.js'
import type { Slot } from './run-drive.js'
import { newRunRecord, type RunRecord } from './run-record.js'

/** The run that took the message, and how (`prompt`: it started that run). */
export interface Delivered {
  run: RunRecord
  delivery: Delivery | 'prompt'
}

export interface DeliveryHost {
  dispatch: QueueDispatch | undefined
  coordination: Coordination | undefined
  /** What holds the session in this process. */
  slot(sessionId: string): Slot | undefined
  run(runId: string): RunRecord | undefined
  findRun(runId: string): Promise<RunRecord>
  /** Starts a run with the message as its prompt (409 when the session is taken meanwhile). */
  start(): Promise<RunRecord>
}

/** A run starting or ending at this very moment is waited for, this many times at most. */
const ATTEMPTS = 5

export async function deliverMessage(
  host: DeliveryHost,
  sessionId: string,
  message: RunMessage,
  switchesAgent: boolean,
): Promise<Delivered> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const slot = host.slot(sessionId)
    const runId = host.dispatch ? await host.dispatch.busy(sessionId) : slot?.runId
    if (!runId && !slot) {
      try {
        return { run: await host.start(), delivery: 'prompt' }
      } catch (error) {
        // Another prompt took the session first (on any server): the message goes to that run.
        if (error instanceof HttpError && error.status === 409 && host.dispatch) continue
        throw error
      }
    }
    if (switchesAgent) {
      throw new HttpError(
        409,
        'conflict',
        `session ${sessionId} is busy: a run is active (run ${runId ?? 'starting'}); \`agent\` applies to a new run, send the message without it to steer this one`,
        { active_run_id: runId ?? null },
      )
    }
    if (host.dispatch && runId) {
      // Queued: whichever process runs it (a worker) reads the message from the database. One it
      // reads after it stopped reading is the prompt of the run after (queue/run-end.ts); a run
      // whose lease ended meanwhile refuses it: look again (the next run, or start one).
      if (!host.coordination) break
      const sent = await host.coordination.sendToRun(runId, message)
      if (!sent) continue
      // The run had stopped reading: the run its end starts takes the message — as its prompt,
      // when no other message came after the run stopped reading (as in a server's own process).
      if (sent.nextRunId)
        return {
          run: newRunRecord(sent.nextRunId, sessionId, Date.now()),
          delivery: sent.first ? 'prompt' : message.delivery,
        }
      return { run: await host.findRun(runId), delivery: message.delivery }
    }
    const record = runId ? host.run(runId) : undefined
    if (
      slot?.kind === 'run' &&
      record?.status === 'running' &&
      slot.agent?.post(message.delivery, message.text)
    )
      return { run: record, delivery: message.delivery }
    // Starting (no run yet), ending (no longer reading), or a restore/delete holding the session.
    const settling = slot?.done ?? slot?.starting
    if (!settling) break
    await settling.catch(() => undefined)
  }
  return { run: await host.start(), delivery: 'prompt' }
}
