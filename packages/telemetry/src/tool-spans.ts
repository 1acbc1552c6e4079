import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { closeCall } from './model-calls.js'
import { ERROR_TYPE, GEN_AI, PENGUIN } from './names.js'
import type { Event, Recorder, RunState } from './run-state.js'
import { clip, firstLine, MAX_MESSAGE, toJson, toolLabel } from './text.js'

/** A tool call starts: the model call that asked for it is over; an `execute_tool` span opens. */
export function onToolStarted(rec: Recorder, run: RunState, event: Event<'tool.started'>): void {
  closeCall(rec, run, 'tool_calls', event.time)
  const name = toolLabel(event.tool)
  const span = rec.telemetry.tracer.startSpan(
    `execute_tool ${name}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: event.time,
      attributes: {
        [GEN_AI.operation]: 'execute_tool',
        [GEN_AI.toolName]: name,
        [GEN_AI.toolType]: 'function',
        [GEN_AI.toolCallId]: event.callId,
        ...(rec.telemetry.captureContent
          ? { [GEN_AI.toolCallArguments]: clip(rec.text(toJson(event.args))) }
          : {}),
      },
    },
    run.context,
  )
  run.tools.set(event.callId, span)
}

/** Outcome, duration and (with content capture) the result; the tool-call metrics. */
export function onToolFinished(rec: Recorder, run: RunState, event: Event<'tool.finished'>): void {
  const name = toolLabel(event.tool)
  const open = run.tools.get(event.callId)
  run.tools.delete(event.callId)
  const span =
    open ??
    rec.telemetry.tracer.startSpan(
      `execute_tool ${name}`,
      {
        startTime: event.time - event.durationMs,
        attributes: {
          [GEN_AI.operation]: 'execute_tool',
          [GEN_AI.toolName]: name,
          [GEN_AI.toolCallId]: event.callId,
        },
      },
      run.context,
    )
  const outcome = event.isError ? 'error' : 'ok'
  span.setAttributes({
    [PENGUIN.toolOutcome]: outcome,
    [PENGUIN.toolDurationMs]: event.durationMs,
    ...(rec.telemetry.captureContent ? { [GEN_AI.toolCallResult]: clip(rec.text(event.output)) } : {}),
  })
  if (event.isError) {
    span.setAttribute(ERROR_TYPE, 'tool_error')
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: clip(rec.text(firstLine(event.output)), MAX_MESSAGE),
    })
  }
  span.end(event.time)
  const labels = { [GEN_AI.toolName]: name, [PENGUIN.toolOutcome]: outcome }
  rec.telemetry.metrics.toolCalls.add(1, labels)
  rec.telemetry.metrics.toolDuration.record(event.durationMs / 1000, labels)
}

/** Permission asks and answers come before the call starts: events on the run span. */
export function onPermission(
  rec: Recorder,
  run: RunState,
  event: Event<'permission.asked'> | Event<'permission.answered'>,
): void {
  const common = { [GEN_AI.toolName]: toolLabel(event.tool), [GEN_AI.toolCallId]: event.callId }
  const attributes =
    event.type === 'permission.asked'
      ? { ...common, access: event.access, subject: clip(rec.text(event.subject), MAX_MESSAGE) }
      : { ...common, reply: event.reply, auto: event.auto }
  run.span.addEvent(`penguin.${event.type}`, attributes, event.time)
}
