export { createTelemetry } from './create.js'
export {
  type HttpContext,
  type HttpTelemetryOptions,
  httpTelemetry,
  type MetricsContext,
  type MetricsHandlerOptions,
  metricsHandler,
  PROMETHEUS_CONTENT_TYPE,
} from './http.js'
export {
  type EngineEventListener,
  type EngineEventSource,
  engineEventListener,
  type InstrumentOptions,
  instrumentEngine,
} from './instrument.js'
export {
  childLogger,
  createLogger,
  LOG_LEVELS,
  type LogDestination,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  LogLevelError,
} from './logger.js'
export type { PenguinMetrics } from './metrics.js'
export { ERROR_TYPE, GEN_AI, METRICS, PENGUIN, providerName, splitModelId } from './names.js'
export { captureContentFromEnv, type OtlpPlan, otlpPlan, otlpRequested } from './otlp-env.js'
export { prettyLine } from './pretty.js'
export {
  createRedactor,
  defaultRedactor,
  REDACTED,
  type Redactor,
  type RedactorOptions,
  redact,
  redactText,
  resetRedaction,
} from './redact.js'
export { RedactingSpanExporter, redactSpan } from './redacting-exporter.js'
export type { ModelFacts, RunLogger } from './run-state.js'
export { type SpanJson, spansToJson, spanToJson } from './span-json.js'
export type { Telemetry, TelemetryOptions } from './types.js'
export { TELEMETRY_VERSION } from './version.js'
