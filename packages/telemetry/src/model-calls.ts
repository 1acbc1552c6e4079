import { type Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { ERROR_TYPE, GEN_AI, PENGUIN } from './names.js'
import type { Event, ModelCall, Recorder, RunState, SharedAttributes } from './run-state.js'

/** A `chat {model}` CLIENT span under the run, from `start` (a `turn.started`). */
export function openCall(rec: Recorder, run: RunState, start: number): ModelCall {
  const span = rec.telemetry.tracer.startSpan(
    run.shared.callName,
    {
      kind: SpanKind.CLIENT,
      startTime: start,
      attributes: run.shared.call,
    },
    run.context,
  )
  span.setAttribute(PENGUIN.turn, run.turn)
  return { span, start }
}

export interface CallFailure {
  errorType: string
  message?: string
}

/**
 * Ends the open model call: at its usage, with `finishReason`, when it had one; otherwise now, as
 * failed with `failure` when given (a call cut short by an error or an abort). Records its latency.
 */
export function closeCall(
  rec: Recorder,
  run: RunState,
  finishReason: string,
  now: number,
  failure?: CallFailure,
): void {
  const call = run.call
  if (!call) return
  run.call = undefined
  const end = call.usageAt ?? now
  const failed = call.usageAt === undefined && failure !== undefined
  if (failed) {
    call.span.setAttribute(ERROR_TYPE, failure.errorType)
    call.span.setStatus({
      code: SpanStatusCode.ERROR,
      ...(failure.message ? { message: failure.message } : {}),
    })
  } else {
    call.span.setAttribute(GEN_AI.responseFinishReasons, [finishReason])
  }
  call.span.end(end)
  rec.telemetry.metrics.modelCallDuration.record(
    Math.max(0, end - call.start) / 1000,
    failed ? { ...run.shared.chat, [ERROR_TYPE]: failure.errorType } : run.shared.chat,
  )
}

/** Tokens and cost by model: counted for every `usage`, inside a run or not (`engine.compact()`). */
export function recordUsage(
  rec: Recorder,
  shared: SharedAttributes,
  labels: Attributes,
  event: Event<'usage'>,
): void {
  const { metrics } = rec.telemetry
  metrics.tokens.add(event.usage.inputTokens, shared.input)
  metrics.tokens.add(event.usage.outputTokens, shared.output)
  if (event.cost > 0) metrics.cost.add(event.cost, labels)
}

/** The prompt-cache figures of a usage, when the provider reported any. */
export function cacheAttributes(usage: Event<'usage'>['usage']): Attributes {
  return {
    ...(usage.cacheReadTokens ? { [GEN_AI.cacheReadTokens]: usage.cacheReadTokens } : {}),
    ...(usage.cacheWriteTokens ? { [GEN_AI.cacheWriteTokens]: usage.cacheWriteTokens } : {}),
  }
}

/** A call's usage ends it (its finish reason waits for the next event). */
export function onUsage(rec: Recorder, run: RunState, event: Event<'usage'>): void {
  recordUsage(rec, run.shared, run.labels, event)
  const call = run.call
  if (!call || call.usageAt !== undefined) return
  call.usageAt = event.time
  call.span.setAttributes({
    [GEN_AI.inputTokens]: event.usage.inputTokens,
    [GEN_AI.outputTokens]: event.usage.outputTokens,
    ...cacheAttributes(event.usage),
    [PENGUIN.costUsd]: event.cost,
  })
}

/**
 * `context.compacted` right after a usage: that call was the summariser, and the turn's own call
 * follows. Either way the compaction is an event on the run span.
 */
export function onCompacted(rec: Recorder, run: RunState, event: Event<'context.compacted'>): void {
  if (run.call?.usageAt !== undefined) {
    run.call.span.setAttribute(PENGUIN.purpose, 'compaction')
    closeCall(rec, run, 'stop', event.time)
    run.call = openCall(rec, run, event.time)
  }
  run.span.addEvent(
    'penguin.context.compacted',
    {
      reason: event.reason,
      tokens_before: event.tokensBefore,
      tokens_after: event.tokensAfter,
      kept_messages: event.keptMessages,
      pruned_outputs: event.prunedOutputs,
      truncated_outputs: event.truncatedOutputs,
      summarised_messages: event.summarisedMessages,
    },
    event.time,
  )
}
