import type { Context, Meter, Tracer } from '@opentelemetry/api'
import type { MetricReader } from '@opentelemetry/sdk-metrics'
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { PenguinMetrics } from './metrics.js'
import type { Redactor } from './redact.js'
import type { SpanJson } from './span-json.js'

export interface TelemetryOptions {
  /** `service.name`; default `OTEL_SERVICE_NAME`, else `penguin`. */
  serviceName?: string
  serviceVersion?: string
  /** Keep finished spans in memory for `spans()` (the CLI's `--trace FILE`, tests). Default false. */
  memorySpans?: boolean
  /** A pull reader for `prometheus()`. Default true. */
  prometheus?: boolean
  /**
   * OTLP/HTTP (JSON) export of traces and metrics: `'auto'` (default) when the standard
   * `OTEL_EXPORTER_OTLP_*ENDPOINT` variables are set (see `otlpPlan`), or forced on / off.
   */
  otlp?: boolean | 'auto'
  /**
   * Record prompts, tool arguments and tool results on spans (truncated, redacted). Default
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`, else off.
   */
  captureContent?: boolean
  /** Extra span processors (tests). They see spans as recorded: only this package's exporters redact. */
  spanProcessors?: SpanProcessor[]
  /** Extra metric readers, e.g. an in-memory one for tests. */
  metricReaders?: MetricReader[]
  /** Environment for OTEL_* and secret values; default `process.env`. */
  env?: Record<string, string | undefined>
  /** Default: secrets from `env`. */
  redactor?: Redactor
  /** Also register as the global tracer and meter provider (for third-party instrumentation). */
  global?: boolean
}

/** A running telemetry pipeline: what instrumentation records into and what exporters read. */
export interface Telemetry {
  readonly tracer: Tracer
  /**
   * Whether spans go anywhere (OTLP, memory for `--trace`, a given processor). When not, the
   * tracer makes no-op spans and the HTTP middleware makes none at all: only metrics are kept.
   */
  readonly tracing: boolean
  readonly meter: Meter
  readonly metrics: PenguinMetrics
  readonly redactor: Redactor
  readonly captureContent: boolean
  /** Which OTLP exports are on. */
  readonly otlp: { traces: boolean; metrics: boolean }
  /** Every metric in the Prometheus text exposition format 0.0.4 (empty without the reader). */
  prometheus(): Promise<string>
  /** Finished spans kept in memory (with `memorySpans`), redacted, as `--trace` writes them. */
  spans(): SpanJson[]
  /** The same, as the SDK's span objects (unredacted copies are never kept: these are redacted). */
  finishedSpans(): ReadableSpan[]
  /** Feeds the `penguin.sse.subscribers` gauge; returns a function that stops this callback. */
  observeSseSubscribers(count: () => number): () => void
  /** The context carried by W3C `traceparent` / `tracestate` headers (the active one if none). */
  extract(headers: Headers | Record<string, string | undefined>): Context
  /** Exports what is pending (OTLP batches, metrics). */
  forceFlush(): Promise<void>
  /** Flushes and stops every exporter; later records are dropped. */
  shutdown(): Promise<void>
}
