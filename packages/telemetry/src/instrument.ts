import type { EngineEvent } from '@penguin-ai/engine'
import { RunSpans } from './run-spans.js'
import type { ModelFacts, RunSpanOptions } from './run-state.js'
import type { Telemetry } from './types.js'

/** Anything that publishes engine events: an `Engine`, or an adapter over another feed. */
export interface EngineEventSource {
  subscribe(listener: (event: EngineEvent) => void): () => void
  /** An `Engine`'s resolved model: provider, wire name and base URL for the spans. */
  readonly model?: ModelFacts
}

export type InstrumentOptions = RunSpanOptions

/** An `onEvent` listener with a way to end what is still open. */
export interface EngineEventListener {
  (event: EngineEvent): void
  /** Ends spans of runs still in progress (marked `error.type=detached`). */
  dispose(): void
}

/**
 * A listener that records engine events as spans and metrics; pass it as `onEvent` (or call it from
 * yours). It never throws: a telemetry bug must not break a run.
 */
export function engineEventListener(
  telemetry: Telemetry,
  options: InstrumentOptions = {},
): EngineEventListener {
  const spans = new RunSpans(telemetry, options)
  const listener = (event: EngineEvent) => {
    try {
      spans.handle(event)
    } catch {
      // Telemetry is best effort.
    }
  }
  return Object.assign(listener, { dispose: () => spans.dispose() })
}

/**
 * Subscribes to an engine (or any event source) so every run it makes becomes a span tree and
 * metrics. The engine itself knows nothing of this. Returns a function that unsubscribes (and ends
 * the spans of a run still in progress).
 *
 * ```ts
 * const stop = instrumentEngine(engine, telemetry, {
 *   attributes: { 'gen_ai.conversation.id': session.id },
 *   parentContext: requestContext, // optional: make the run a child of an HTTP request's span
 * })
 * ```
 */
export function instrumentEngine(
  source: EngineEventSource,
  telemetry: Telemetry,
  options: InstrumentOptions = {},
): () => void {
  const model = options.model ?? modelFacts(source.model)
  const listener = engineEventListener(telemetry, { ...options, ...(model ? { model } : {}) })
  const unsubscribe = source.subscribe(listener)
  return () => {
    unsubscribe()
    listener.dispose()
  }
}

function modelFacts(model: ModelFacts | undefined): ModelFacts | undefined {
  if (!model) return undefined
  return {
    provider: model.provider,
    model: model.model,
    ...(model.baseUrl ? { baseUrl: model.baseUrl } : {}),
  }
}
