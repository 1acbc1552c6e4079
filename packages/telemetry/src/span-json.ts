import { type Attributes, type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { defaultRedactor, type Redactor } from './redact.js'

/** One span as `--trace FILE` writes it: plain JSON, times as ISO-8601 strings. */
export interface SpanJson {
  traceId: string
  spanId: string
  /** Absent for a root span. */
  parentSpanId?: string
  name: string
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer'
  startTime: string
  endTime: string
  durationMs: number
  attributes: Attributes
  status: { code: 'unset' | 'ok' | 'error'; message?: string }
  events: Array<{ name: string; time: string; attributes: Attributes }>
}

const KINDS: Record<SpanKind, SpanJson['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
}

const STATUS: Record<SpanStatusCode, SpanJson['status']['code']> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
}

function hrMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6
}

function iso(time: HrTime): string {
  const date = new Date(hrMs(time))
  return Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString()
}

/** A finished span as JSON, redacted once more on the way out (attributes were redacted when set). */
export function spanToJson(span: ReadableSpan, redactor: Redactor = defaultRedactor()): SpanJson {
  const context = span.spanContext()
  const parent = span.parentSpanContext?.spanId
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: redactor.text(span.name),
    kind: KINDS[span.kind],
    startTime: iso(span.startTime),
    endTime: iso(span.endTime),
    durationMs: Math.round((hrMs(span.endTime) - hrMs(span.startTime)) * 1000) / 1000,
    attributes: redactor.value(span.attributes),
    status: {
      code: STATUS[span.status.code],
      ...(span.status.message ? { message: redactor.text(span.status.message) } : {}),
    },
    events: span.events.map((event) => ({
      name: event.name,
      time: iso(event.time),
      attributes: redactor.value(event.attributes ?? {}),
    })),
  }
}

/**
 * Spans as a pre-order walk of their trees: each parent before its children, siblings (and roots)
 * in start order. A span whose parent is not among them counts as a root.
 */
export function spansToJson(spans: readonly ReadableSpan[], redactor?: Redactor): SpanJson[] {
  const byStart = [...spans].sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime))
  const ids = new Set(byStart.map((span) => span.spanContext().spanId))
  const children = new Map<string, ReadableSpan[]>()
  const roots: ReadableSpan[] = []
  for (const span of byStart) {
    const parent = span.parentSpanContext?.spanId
    if (parent && ids.has(parent)) {
      const list = children.get(parent) ?? []
      list.push(span)
      children.set(parent, list)
    } else {
      roots.push(span)
    }
  }
  const out: SpanJson[] = []
  const walk = (span: ReadableSpan) => {
    out.push(spanToJson(span, redactor))
    for (const child of children.get(span.spanContext().spanId) ?? []) walk(child)
  }
  for (const root of roots) walk(root)
  return out
}
