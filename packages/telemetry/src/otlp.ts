/**
 * The OTLP/HTTP exporters, loaded only when the environment asks for OTLP (see sdk.ts for why lazy
 * imports go through a module of ours).
 */
export { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http'
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
