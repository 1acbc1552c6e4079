/**
 * The OpenTelemetry SDK, as `createTelemetry` uses it. Imported lazily (`await import('./sdk.js')`)
 * so that importing the package never loads it. Lazy imports go through this module of ours rather
 * than straight at the SDK's packages: several are CommonJS, and a bundler (esbuild, for the
 * published `penguin-ai`) gives a dynamically imported CommonJS module only a default export, while
 * static named imports like these work everywhere.
 */
export { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
export { W3CTraceContextPropagator } from '@opentelemetry/core'
export { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus'
export {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources'
export { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
export { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
export { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
