import { describe, expect, test } from 'vitest'
import { captureContentFromEnv, otlpPlan, otlpRequested } from '../src/index.js'

describe('otlpPlan', () => {
  test('nothing set: no OTLP', () => {
    expect(otlpPlan({})).toEqual({ traces: false, metrics: false, metricIntervalMs: 60_000 })
    expect(otlpRequested({})).toBe(false)
  })

  test('the shared endpoint turns on both; per-signal endpoints one each', () => {
    expect(otlpPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({
      traces: true,
      metrics: true,
    })
    expect(otlpPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' })).toMatchObject({
      traces: true,
      metrics: false,
    })
    expect(otlpPlan({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c/v1/metrics' })).toMatchObject({
      traces: false,
      metrics: true,
    })
  })

  test('OTEL_SDK_DISABLED, OTEL_*_EXPORTER=none and the export interval are honoured', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }
    expect(otlpRequested({ ...base, OTEL_SDK_DISABLED: 'true' })).toBe(false)
    expect(otlpPlan({ ...base, OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({
      traces: false,
      metrics: true,
    })
    expect(otlpPlan({ ...base, OTEL_METRICS_EXPORTER: 'none' })).toMatchObject({
      traces: true,
      metrics: false,
    })
    expect(otlpPlan({ ...base, OTEL_METRIC_EXPORT_INTERVAL: '5000' }).metricIntervalMs).toBe(5000)
    expect(otlpPlan({ ...base, OTEL_METRIC_EXPORT_INTERVAL: 'soon' }).metricIntervalMs).toBe(60_000)
  })

  test('content capture follows OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', () => {
    expect(captureContentFromEnv({})).toBe(false)
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'TRUE' })).toBe(true)
  })
})
