import type { Counter, Histogram, Meter, ObservableGauge, UpDownCounter } from '@opentelemetry/api'
import { METRICS } from './names.js'

/** Every instrument Penguin records; names are in `METRICS` (Prometheus turns `.` into `_`). */
export interface PenguinMetrics {
  /** Finished runs by `penguin.run.status` and model. */
  runs: Counter
  /** Runs in progress. */
  activeRuns: UpDownCounter
  /** Run wall time, seconds. */
  runDuration: Histogram
  /** Tool calls by `gen_ai.tool.name` and `penguin.tool.outcome` (ok | error). */
  toolCalls: Counter
  /** Tool call time, seconds. */
  toolDuration: Histogram
  /** Model-call latency, seconds (GenAI semantic conventions). */
  modelCallDuration: Histogram
  /** Tokens by model and `gen_ai.token.type` (input | output). */
  tokens: Counter
  /** Cost in USD by model (from the model catalogue). */
  cost: Counter
  /** HTTP server request duration, seconds, by method, route and status. */
  httpDuration: Histogram
  /** Open SSE streams, observed through the callbacks given to `observeSseSubscribers`. */
  sseSubscribers: ObservableGauge
}

/** Latencies of model calls span tens of milliseconds to minutes. */
const MODEL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300]
/** The HTTP semantic conventions' recommended boundaries. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
const TOOL_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]
const RUN_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 3600]

export function createMetrics(meter: Meter): PenguinMetrics {
  const seconds = (description: string, buckets: number[]) => ({
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: buckets },
  })
  return {
    runs: meter.createCounter(METRICS.runs, { description: 'Agent runs finished, by status and model' }),
    activeRuns: meter.createUpDownCounter(METRICS.activeRuns, { description: 'Agent runs in progress' }),
    runDuration: meter.createHistogram(METRICS.runDuration, seconds('Agent run duration', RUN_BUCKETS)),
    toolCalls: meter.createCounter(METRICS.toolCalls, { description: 'Tool calls, by tool and outcome' }),
    toolDuration: meter.createHistogram(METRICS.toolDuration, seconds('Tool call duration', TOOL_BUCKETS)),
    modelCallDuration: meter.createHistogram(
      METRICS.modelCallDuration,
      seconds('Model call latency (GenAI client operation duration)', MODEL_BUCKETS),
    ),
    tokens: meter.createCounter(METRICS.tokens, {
      description: 'Tokens used, by model and type (input or output)',
      unit: '{token}',
    }),
    cost: meter.createCounter(METRICS.cost, {
      description: 'Model cost in US dollars, by model',
      unit: 'USD',
    }),
    httpDuration: meter.createHistogram(
      METRICS.httpDuration,
      seconds('HTTP server request duration, by method, route and status', HTTP_BUCKETS),
    ),
    sseSubscribers: meter.createObservableGauge(METRICS.sseSubscribers, {
      description: 'Open server-sent event streams',
    }),
  }
}
