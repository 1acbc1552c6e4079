import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base'

/** Most spans kept in memory; the oldest go first beyond it (a long chat cannot grow without bound). */
export const MAX_MEMORY_SPANS = 100_000

/**
 * Keeps finished spans in memory, as they are: ending a span costs one array push. Redaction happens
 * when they are read (`Telemetry.spans()`), off the hot path. The SDK's SimpleSpanProcessor +
 * InMemorySpanExporter do the same job at several times the cost per span.
 */
export class MemorySpanProcessor implements SpanProcessor {
  private spans: ReadableSpan[] = []

  constructor(private readonly limit = MAX_MEMORY_SPANS) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.spans.length >= this.limit) this.spans.shift()
    this.spans.push(span)
  }

  /** Finished spans, oldest first (unredacted: callers redact). */
  finished(): readonly ReadableSpan[] {
    return this.spans
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}
