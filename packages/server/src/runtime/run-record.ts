import type { EngineEvent, RunStatus } from '@penguin-ai/engine'
import { emptyUsage, type Usage } from '@penguin-ai/llm'

/** A session run as `GET /runs/{id}` shows it; kept in memory (the messages are in the store). */
export interface RunRecord {
  /** The engine's run id. */
  id: string
  sessionId: string
  status: 'running' | RunStatus
  startedAt: string
  finishedAt: string | null
  /** The assistant's last text. */
  text: string
  usage: Usage
  costUsd: number
  error: { kind: string; message: string } | null
}

export function newRunRecord(id: string, sessionId: string, startedAt: number): RunRecord {
  return {
    id,
    sessionId,
    status: 'running',
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: null,
    text: '',
    usage: emptyUsage(),
    costUsd: 0,
    error: null,
  }
}

/** Folds one engine event into the record: running totals from `usage`, the outcome from `run.finished`. */
export function applyEvent(record: RunRecord, event: EngineEvent): void {
  if (event.type === 'usage') {
    record.usage = event.total
    record.costUsd = event.totalCost
  } else if (event.type === 'run.finished') {
    record.status = event.status
    record.text = event.text
    record.usage = event.usage
    record.costUsd = event.cost
    record.error = event.error ?? null
    record.finishedAt = new Date(event.time).toISOString()
  }
}

/** The events a run's record is folded from (`foldRunEvents`). */
export const RECORD_EVENTS: readonly string[] = ['run.started', 'usage', 'run.finished']

/**
 * A run executing in another process (a worker), as its own RunManager shows it while it runs:
 * folded from its streamed events (of RECORD_EVENTS, oldest first) into the record its lease
 * gives. It started at its first `run.started`; a resumed run's later attempt starts its totals
 * over, as its record will when it finishes.
 */
export function foldRunEvents(
  record: RunRecord,
  events: readonly { data: Record<string, unknown> }[],
): RunRecord {
  let started = false
  for (const { data } of events) {
    const event = data as unknown as EngineEvent
    if (event.type === 'run.started') {
      if (!started) record.startedAt = new Date(event.time).toISOString()
      started = true
      record.usage = emptyUsage()
      record.costUsd = 0
    } else applyEvent(record, event)
  }
  return record
}

/**
 * The `run.finished` the engine never sent because its run threw: streams still see the run end.
 * Its message is generic; the cause goes to the server's log.
 */
export function failedRunEvent(record: RunRecord): EngineEvent {
  return {
    type: 'run.finished',
    runId: record.id,
    time: Date.now(),
    status: 'failed',
    text: record.text,
    usage: record.usage,
    cost: record.costUsd,
    iterations: 0,
    durationMs: Date.now() - Date.parse(record.startedAt),
    error: { kind: 'internal', message: 'the run stopped on an internal error' },
  }
}

/**
 * The `run.finished` of a cancelled run whose engine has not let go within the cancel bound (a
 * step that ignores the abort): for the client the run is over now; the session stays held until
 * the engine returns.
 */
export function cancelledRunEvent(record: RunRecord, boundMs: number): EngineEvent {
  return {
    type: 'run.finished',
    runId: record.id,
    time: Date.now(),
    status: 'aborted',
    text: record.text,
    usage: record.usage,
    cost: record.costUsd,
    iterations: 0,
    durationMs: Date.now() - Date.parse(record.startedAt),
    error: {
      kind: 'aborted',
      message: `the run was cancelled; its last step did not stop within ${boundMs} ms and was left behind`,
    },
  }
}
