import { type Attributes, type Context, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { EngineEvent } from '@penguin-ai/engine'
import { cacheAttributes, closeCall, onCompacted, onUsage, openCall, recordUsage } from './model-calls.js'
import { ERROR_TYPE, GEN_AI, PENGUIN, providerName, splitModelId } from './names.js'
import {
  type Event,
  type Recorder,
  type RunSpanOptions,
  type RunState,
  serverAttributes,
  sharedAttributes,
} from './run-state.js'
import { clip, MAX_MESSAGE } from './text.js'
import { onPermission, onToolFinished, onToolStarted } from './tool-spans.js'
import type { Telemetry } from './types.js'

/**
 * Turns engine events into spans and metrics: a run span, a `chat` span per model call (from
 * `turn.started` to its `usage`) and an `execute_tool` span per tool call, both children of the run
 * span. Runs are keyed by run id, so one tracker may serve several engines.
 */
export class RunSpans implements Recorder {
  private readonly runs = new Map<string, RunState>()
  private readonly server: Attributes

  constructor(
    readonly telemetry: Telemetry,
    private readonly options: RunSpanOptions = {},
  ) {
    this.server = serverAttributes(options.model?.baseUrl)
  }

  text(value: string): string {
    return this.telemetry.redactor.text(value)
  }

  handle(event: EngineEvent): void {
    if (event.type === 'text.delta' || typeof event.time !== 'number') return
    if (event.type === 'run.started') {
      this.start(event)
      return
    }
    const run = this.runs.get(event.runId)
    if (!run) {
      // `engine.compact()` spends tokens outside any run.
      if (event.type === 'usage') {
        const labels = this.labelsFor(undefined)
        recordUsage(this, sharedAttributes(labels, this.server), labels, event)
      }
      return
    }
    switch (event.type) {
      case 'turn.started':
        closeCall(this, run, 'unknown', event.time)
        run.turn = event.iteration
        run.call = openCall(this, run, event.time)
        break
      case 'usage':
        onUsage(this, run, event)
        break
      case 'turn.retry':
        ;(run.call?.span ?? run.span).addEvent(
          'penguin.turn.retry',
          { attempt: event.attempt, delay_ms: event.delayMs, reason: this.text(event.reason) },
          event.time,
        )
        break
      case 'context.compacted':
        onCompacted(this, run, event)
        break
      case 'tool.started':
        onToolStarted(this, run, event)
        break
      case 'tool.finished':
        onToolFinished(this, run, event)
        break
      case 'permission.asked':
      case 'permission.answered':
        onPermission(this, run, event)
        break
      case 'run.finished':
        this.finish(run, event)
        break
    }
  }

  /** Ends every open span (the source went away mid-run). */
  dispose(): void {
    const now = Date.now()
    for (const [runId, run] of this.runs) {
      closeCall(this, run, 'unknown', now, { errorType: 'detached' })
      for (const span of run.tools.values()) span.end(now)
      run.span.setAttribute(ERROR_TYPE, 'detached')
      run.span.end(now)
      this.runs.delete(runId)
      this.telemetry.metrics.activeRuns.add(-1)
    }
  }

  private labelsFor(modelId: string | undefined): Attributes {
    const facts =
      this.options.model ?? (modelId ? splitModelId(modelId) : { provider: 'unknown', model: 'unknown' })
    return { [GEN_AI.provider]: providerName(facts.provider), [GEN_AI.requestModel]: facts.model }
  }

  private parent(): Context | undefined {
    const given = this.options.parentContext
    return typeof given === 'function' ? given() : given
  }

  private start(event: Event<'run.started'>): void {
    const labels = this.labelsFor(event.model)
    const parent = this.parent() ?? context.active()
    const span = this.telemetry.tracer.startSpan(
      'invoke_agent penguin',
      {
        kind: SpanKind.INTERNAL,
        startTime: event.time,
        attributes: {
          [GEN_AI.operation]: 'invoke_agent',
          [GEN_AI.agentName]: 'penguin',
          ...labels,
          [GEN_AI.system]: labels[GEN_AI.provider],
          [PENGUIN.model]: event.model,
          [PENGUIN.runId]: event.runId,
          [PENGUIN.workspace]: event.workspace,
          ...(this.telemetry.captureContent ? { [PENGUIN.prompt]: clip(this.text(event.prompt)) } : {}),
          ...this.options.attributes,
        },
      },
      parent,
    )
    this.runs.set(event.runId, {
      span,
      context: trace.setSpan(parent, span),
      model: event.model,
      labels,
      shared: sharedAttributes(labels, this.server),
      turn: 0,
      tools: new Map(),
    })
    this.telemetry.metrics.activeRuns.add(1)
  }

  private finish(run: RunState, event: Event<'run.finished'>): void {
    const message = event.error ? clip(this.text(event.error.message), MAX_MESSAGE) : undefined
    const errorType = event.error?.kind ?? event.status
    // A call with usage that ends the run answered in text, unless the budget stopped its tool calls.
    const reason = event.status === 'budget_exceeded' ? 'tool_calls' : 'stop'
    closeCall(this, run, reason, event.time, { errorType, ...(message ? { message } : {}) })
    for (const span of run.tools.values()) {
      span.setAttribute(ERROR_TYPE, event.status)
      span.end(event.time)
    }
    run.span.setAttributes({
      [PENGUIN.runStatus]: event.status,
      [PENGUIN.iterations]: event.iterations,
      [GEN_AI.inputTokens]: event.usage.inputTokens,
      [GEN_AI.outputTokens]: event.usage.outputTokens,
      ...cacheAttributes(event.usage),
      [PENGUIN.costUsd]: event.cost,
    })
    if (event.status === 'failed') {
      run.span.setAttribute(ERROR_TYPE, errorType)
      run.span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) })
    }
    run.span.end(event.time)
    this.runs.delete(event.runId)
    const { metrics } = this.telemetry
    const labels = { [PENGUIN.runStatus]: event.status, ...run.labels }
    metrics.runs.add(1, labels)
    metrics.runDuration.record(event.durationMs / 1000, labels)
    metrics.activeRuns.add(-1)
    this.log(run, event, message)
  }

  private log(run: RunState, event: Event<'run.finished'>, message: string | undefined): void {
    const logger = this.options.logger
    if (!logger) return
    const fields = {
      run_id: event.runId,
      status: event.status,
      model: run.model,
      iterations: event.iterations,
      input_tokens: event.usage.inputTokens,
      output_tokens: event.usage.outputTokens,
      cache_read_tokens: event.usage.cacheReadTokens,
      cache_write_tokens: event.usage.cacheWriteTokens,
      cost_usd: event.cost,
      duration_ms: event.durationMs,
      ...(message ? { error: message } : {}),
    }
    context.with(run.context, () => {
      if (event.status === 'failed') logger.warn(fields, 'run failed')
      else logger.info(fields, 'run finished')
    })
  }
}
