/**
 * Which OTLP exports the standard OpenTelemetry environment asks for. Pure and cheap: the CLI
 * calls it (through `otlpRequested`) before deciding whether to load any of the SDK.
 */

type Env = Record<string, string | undefined>

export interface OtlpPlan {
  traces: boolean
  metrics: boolean
  /** Metric export interval (OTEL_METRIC_EXPORT_INTERVAL), milliseconds. */
  metricIntervalMs: number
}

const DEFAULT_METRIC_INTERVAL_MS = 60_000

function set(env: Env, name: string): boolean {
  return Boolean(env[name]?.trim())
}

/** `OTEL_TRACES_EXPORTER=none`, `otlp`, `console,otlp`, …: only `none` alone turns a signal off. */
function exporterOff(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase()
  return value === 'none'
}

/**
 * Traces (metrics) go to OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` or the signal's own
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (`…_METRICS_ENDPOINT`) is set, unless `OTEL_SDK_DISABLED=true`
 * or `OTEL_TRACES_EXPORTER` (`OTEL_METRICS_EXPORTER`) is `none`.
 */
export function otlpPlan(env: Env = process.env): OtlpPlan {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true'
  const base = set(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL)
  return {
    traces:
      !disabled &&
      !exporterOff(env, 'OTEL_TRACES_EXPORTER') &&
      (base || set(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')),
    metrics:
      !disabled &&
      !exporterOff(env, 'OTEL_METRICS_EXPORTER') &&
      (base || set(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT')),
    metricIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_METRIC_INTERVAL_MS,
  }
}

/** True when the environment asks for any OTLP export. */
export function otlpRequested(env: Env = process.env): boolean {
  const plan = otlpPlan(env)
  return plan.traces || plan.metrics
}

/** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: record prompts and tool I/O on spans. */
export function captureContentFromEnv(env: Env = process.env): boolean {
  return env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true'
}
