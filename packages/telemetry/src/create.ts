import {
  type Context,
  context,
  metrics as metricsApi,
  ProxyTracerProvider,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api'
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { MemorySpanProcessor } from './memory-spans.js'
import { createMetrics } from './metrics.js'
import { captureContentFromEnv, otlpPlan } from './otlp-env.js'
import { createRedactor, type Redactor } from './redact.js'
import { RedactingSpanExporter, redactSpan } from './redacting-exporter.js'
import { spansToJson } from './span-json.js'
import type { Telemetry, TelemetryOptions } from './types.js'
import { TELEMETRY_VERSION } from './version.js'

type Carrier = Headers | Record<string, string | undefined>

const getter: TextMapGetter<Carrier> = {
  get: (carrier, key) =>
    carrier instanceof Headers
      ? (carrier.get(key) ?? undefined)
      : (carrier[key] ?? carrier[key.toLowerCase()]),
  keys: (carrier) => (carrier instanceof Headers ? [...carrier.keys()] : Object.keys(carrier)),
}

let contextManagerInstalled = false

type Sdk = typeof import('./sdk.js')

/** AsyncLocalStorage-backed context, so `context.active()` follows a request through awaits. */
function ensureContextManager(sdk: Sdk): void {
  if (contextManagerInstalled) return
  contextManagerInstalled = true
  context.setGlobalContextManager(new sdk.AsyncLocalStorageContextManager().enable())
}

/**
 * Starts a telemetry pipeline. The OpenTelemetry SDK is loaded here, not when the package is
 * imported, and the OTLP exporters only when the environment (or `options.otlp`) asks for them.
 */
export async function createTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  const env = options.env ?? process.env
  const redactor: Redactor = options.redactor ?? createRedactor({ env })
  const plan = otlpPlan(env)
  const otlp =
    options.otlp === undefined || options.otlp === 'auto'
      ? { traces: plan.traces, metrics: plan.metrics }
      : { traces: options.otlp, metrics: options.otlp }
  const sdk = await import('./sdk.js')
  const otlpExporters = otlp.traces || otlp.metrics ? await import('./otlp.js') : undefined

  const resource = sdk
    .defaultResource()
    .merge(sdk.detectResources({ detectors: [sdk.envDetector] }))
    .merge(
      sdk.resourceFromAttributes({
        [sdk.ATTR_SERVICE_NAME]: options.serviceName ?? (env.OTEL_SERVICE_NAME?.trim() || 'penguin'),
        ...(options.serviceVersion ? { [sdk.ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      }),
    )

  // ---- traces
  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])]
  const memory = options.memorySpans ? new MemorySpanProcessor() : undefined
  if (memory) processors.push(memory)
  if (otlp.traces && otlpExporters) {
    processors.push(
      new sdk.BatchSpanProcessor(new RedactingSpanExporter(new otlpExporters.OTLPTraceExporter(), redactor)),
    )
  }
  const tracerProvider = new sdk.BasicTracerProvider({ resource, spanProcessors: processors })
  // Spans nobody receives are not made: without a processor the tracer is a no-op one, and no
  // context manager is installed (AsyncLocalStorage would cost every promise of the process).
  const tracing = processors.length > 0
  if (tracing) ensureContextManager(sdk)

  // ---- metrics
  const readers: MetricReader[] = [...(options.metricReaders ?? [])]
  let prometheus: { reader: MetricReader; serialize: (metrics: ResourceMetrics) => string } | undefined
  if (options.prometheus !== false) {
    const reader = new sdk.PrometheusExporter({ preventServerStart: true })
    const serializer = new sdk.PrometheusSerializer(undefined, false, undefined, false, true)
    prometheus = { reader, serialize: (metrics) => serializer.serialize(metrics) }
    readers.push(reader)
  }
  if (otlp.metrics && otlpExporters) {
    readers.push(
      new sdk.PeriodicExportingMetricReader({
        exporter: new otlpExporters.OTLPMetricExporter(),
        exportIntervalMillis: plan.metricIntervalMs,
      }),
    )
  }
  const meterProvider = new sdk.MeterProvider({ resource, readers })

  if (options.global) {
    trace.setGlobalTracerProvider(tracerProvider)
    metricsApi.setGlobalMeterProvider(meterProvider)
  }

  const tracer = tracing
    ? tracerProvider.getTracer('@penguin-ai/telemetry', TELEMETRY_VERSION)
    : new ProxyTracerProvider().getTracer('@penguin-ai/telemetry', TELEMETRY_VERSION)
  const meter = meterProvider.getMeter('@penguin-ai/telemetry', TELEMETRY_VERSION)
  const metrics = createMetrics(meter)
  const sseCallbacks = new Set<() => number>()
  metrics.sseSubscribers.addCallback((result) => {
    if (sseCallbacks.size === 0) return
    let total = 0
    for (const count of sseCallbacks) {
      try {
        total += count()
      } catch {
        // A broken callback must not break a scrape.
      }
    }
    result.observe(total)
  })
  const propagator = new sdk.W3CTraceContextPropagator()
  let stopped = false

  return {
    tracer,
    tracing,
    meter,
    metrics,
    redactor,
    captureContent: options.captureContent ?? captureContentFromEnv(env),
    otlp,
    async prometheus() {
      if (!prometheus) return ''
      const { resourceMetrics } = await prometheus.reader.collect()
      return redactor.text(prometheus.serialize(resourceMetrics))
    },
    spans: () => spansToJson(memory?.finished() ?? [], redactor),
    finishedSpans: () => (memory?.finished() ?? []).map((span) => redactSpan(span, redactor)),
    observeSseSubscribers(count) {
      sseCallbacks.add(count)
      return () => {
        sseCallbacks.delete(count)
      }
    },
    extract(headers: Carrier): Context {
      return propagator.extract(context.active(), headers, getter)
    },
    async forceFlush() {
      await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush()])
    },
    async shutdown() {
      if (stopped) return
      stopped = true
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()])
    },
  }
}
