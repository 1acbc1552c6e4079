/**
 * Spans and metrics for the runs the server drives in the background (session runs and project
 * tasks). The engine knows nothing of telemetry: it is attached to the engine's events here.
 */
import { type Attributes, type Context, context } from '@opentelemetry/api'
import type { Engine } from '@penguin-ai/engine'
import {
  childLogger,
  GEN_AI,
  instrumentEngine,
  type Logger,
  PENGUIN,
  type Telemetry,
} from '@penguin-ai/telemetry'

/** Where runs are recorded; both optional (tests and `createApp` alone have neither). */
export interface RunObservers {
  telemetry?: Telemetry
  /** Gets a line per finished run, with its ids and the trace's. */
  logger?: Logger
}

/**
 * The context a run started by this request should hang from. Taken when the run starts, because
 * the run outlives the request: its events arrive after the 202 has been sent.
 */
export function runParentContext(observers: RunObservers): Context | undefined {
  return observers.telemetry ? context.active() : undefined
}

/** Records the engine's runs as children of `parentContext`; returns the stop function (a no-op without telemetry). */
export function instrumentRun(
  engine: Engine,
  observers: RunObservers,
  run: { sessionId: string; parentContext: Context | undefined; attributes?: Attributes },
): () => void {
  const { telemetry, logger } = observers
  if (!telemetry) return () => {}
  return instrumentEngine(engine, telemetry, {
    attributes: {
      [GEN_AI.conversationId]: run.sessionId,
      [PENGUIN.sessionId]: run.sessionId,
      ...run.attributes,
    },
    ...(run.parentContext ? { parentContext: run.parentContext } : {}),
    ...(logger ? { logger: childLogger(logger, { sessionId: run.sessionId }) } : {}),
  })
}
