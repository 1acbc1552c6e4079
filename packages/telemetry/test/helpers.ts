import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Attributes } from '@opentelemetry/api'
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics'
import type { EngineEvent } from '@penguin-ai/engine'
import {
  createTelemetry,
  type EngineEventSource,
  type Telemetry,
  type TelemetryOptions,
} from '../src/index.js'

/** A pull reader kept in memory: `collect()` whenever a test wants the numbers. */
export class MemoryMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE })
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve()
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
}

export async function testTelemetry(
  options: TelemetryOptions = {},
): Promise<{ telemetry: Telemetry; reader: MemoryMetricReader }> {
  const reader = new MemoryMetricReader()
  const telemetry = await createTelemetry({
    memorySpans: true,
    otlp: false,
    env: {},
    ...options,
    metricReaders: [reader, ...(options.metricReaders ?? [])],
  })
  return { telemetry, reader }
}

type Point = DataPoint<number> | DataPoint<Histogram>

async function points(reader: MetricReader, name: string): Promise<Point[]> {
  const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect()
  const out: Point[] = []
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      if (metric.descriptor.name === name) out.push(...(metric.dataPoints as Point[]))
  return out
}

function matches(point: Point, attributes: Attributes): boolean {
  return Object.entries(attributes).every(([key, value]) => point.attributes[key] === value)
}

/** The sum of a counter's (or gauge's) points whose attributes include `attributes`. */
export async function metricSum(
  reader: MetricReader,
  name: string,
  attributes: Attributes = {},
): Promise<number> {
  let total = 0
  for (const point of await points(reader, name))
    if (matches(point, attributes)) total += typeof point.value === 'number' ? point.value : point.value.count
  return total
}

/** How many observations a histogram holds for points whose attributes include `attributes`. */
export async function histogramCount(
  reader: MetricReader,
  name: string,
  attributes: Attributes = {},
): Promise<number> {
  return metricSum(reader, name, attributes)
}

export async function tempDir(prefix = 'penguin-telemetry-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** An event source the test drives by hand. */
export function manualSource(): EngineEventSource & { emit(event: EngineEvent): void } {
  const listeners = new Set<(event: EngineEvent) => void>()
  return {
    model: { provider: 'openai', model: 'gpt-4o' },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit(event) {
      for (const listener of listeners) listener(event)
    },
  }
}
