/** `client.sessions.run()`: one message, followed to its `run.finished`. */
import { PenguinApiError } from './errors.js'
import type { EventData, RunResult, SessionEvent } from './events.js'
import { abortReason } from './http.js'
import type { Run } from './records.js'
import type { Runs } from './resources/runs.js'
import type { SessionRunOptions, Sessions } from './resources/sessions.js'

/** True for engine events (they carry a `runId`), false for project events. */
export function isSessionEvent(data: EventData): data is SessionEvent {
  return typeof (data as { runId?: unknown }).runId === 'string'
}

export async function runSession(
  sessions: Sessions,
  runs: Runs,
  sessionId: string,
  content: string,
  options: SessionRunOptions,
): Promise<RunResult> {
  const external = options.signal
  if (external?.aborted) throw abortReason(external)
  // Subscribe before posting, so the run's first event cannot be missed.
  const stream = sessions.events(sessionId, options.retry ? { retry: options.retry } : {})
  let runId: string | undefined
  let cancelling = false
  const cancel = () => {
    if (!runId || cancelling) return
    cancelling = true
    // 409 (already finished) and 404 are fine: run.finished arrives or has arrived.
    runs.cancel(runId).catch(() => undefined)
  }
  external?.addEventListener('abort', cancel)
  try {
    await stream.connected()
    if (external?.aborted) throw abortReason(external)
    if (options.follow) {
      runId = options.follow
      // Started before the stream connected: it may be over already.
      const run = await runs.get(runId)
      if (run.status !== 'running') return runResultOfRecord(run)
    } else {
      const accepted = await sessions.sendMessage(
        sessionId,
        content,
        options.agent ? { agent: options.agent } : {},
      )
      runId = accepted.run_id
    }
    options.onAccepted?.(runId)
    if (external?.aborted) cancel()
    for await (const event of stream) {
      const data = event.data
      if (data.type === 'resync') {
        // Events were missed (the server keeps a bounded window): ask the run how it stands.
        const run = await runs.get(runId)
        if (run.status !== 'running') return runResultOfRecord(run)
        continue
      }
      if (!isSessionEvent(data) || data.runId !== runId) continue
      options.onEvent?.(data, event)
      if (data.type === 'run.finished') return runResultOf(data)
    }
    throw new PenguinApiError({
      status: 0,
      code: 'closed',
      message: `The event stream of session ${sessionId} ended before run ${runId} finished`,
    })
  } finally {
    external?.removeEventListener('abort', cancel)
    stream.close()
  }
}

/** A finished run as `GET /runs/{id}` tells it (iterations are not known there). */
function runResultOfRecord(run: Run): RunResult {
  const started = Date.parse(run.started_at)
  const finished = run.finished_at ? Date.parse(run.finished_at) : started
  return {
    status: run.status === 'running' ? 'aborted' : run.status,
    text: run.text,
    usage: {
      inputTokens: run.usage.input_tokens,
      outputTokens: run.usage.output_tokens,
      cacheReadTokens: run.usage.cached_input_tokens,
      // The run record does not say what was written to the prompt cache.
      cacheWriteTokens: 0,
      cachedInputTokens: run.usage.cached_input_tokens,
      totalTokens: run.usage.total_tokens,
    },
    cost: run.cost_usd,
    iterations: 0,
    durationMs: Math.max(0, finished - started),
    ...(run.error ? { error: run.error } : {}),
  }
}

function runResultOf(event: Extract<SessionEvent, { type: 'run.finished' }>): RunResult {
  const result: RunResult = {
    status: event.status,
    text: event.text,
    usage: event.usage,
    cost: event.cost,
    iterations: event.iterations,
    durationMs: event.durationMs,
  }
  if (event.error) result.error = event.error
  return result
}
