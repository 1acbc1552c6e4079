import type { Attributes, Context, Span } from '@opentelemetry/api'
import type { EngineEvent } from '@penguin-ai/engine'
import { GEN_AI } from './names.js'
import type { Telemetry } from './types.js'

export type Event<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>

/** What the caller knows about the model, when the events alone would have to guess. */
export interface ModelFacts {
  /** Penguin's provider id (`openai`, `gemini`, …). */
  provider: string
  /** The name sent on the wire (`gpt-4o`). */
  model: string
  baseUrl?: string
}

export interface RunLogger {
  info(object: Record<string, unknown>, message: string): void
  warn(object: Record<string, unknown>, message: string): void
}

export interface RunSpanOptions {
  /** Added to every run span, e.g. `{ 'gen_ai.conversation.id': sessionId }`. */
  attributes?: Attributes
  /** The parent of run spans (an HTTP request's span, say); else the context active at `run.started`. */
  parentContext?: Context | (() => Context | undefined)
  model?: ModelFacts
  /** Told when a run finishes (pino-compatible), inside the run span's context. */
  logger?: RunLogger
}

/** Attribute sets every model call of a run shares. */
export interface SharedAttributes {
  /** `chat {model}`. */
  callName: string
  /** A `chat` span's attributes, but the turn. */
  call: Attributes
  /** Labels of `gen_ai.client.operation.duration`. */
  chat: Attributes
  /** Labels of `penguin.tokens` by type. */
  input: Attributes
  output: Attributes
}

export function sharedAttributes(labels: Attributes, server: Attributes): SharedAttributes {
  const chat = { [GEN_AI.operation]: 'chat', ...labels }
  return {
    callName: `chat ${labels[GEN_AI.requestModel]}`,
    call: { ...chat, [GEN_AI.system]: labels[GEN_AI.provider], ...server },
    chat,
    input: { ...labels, [GEN_AI.tokenType]: 'input' },
    output: { ...labels, [GEN_AI.tokenType]: 'output' },
  }
}

export interface ModelCall {
  span: Span
  start: number
  /** When its usage arrived: the call's end. Its finish reason is known only at the next event. */
  usageAt?: number
}

/** One run in progress: its span, the context its children hang from, what is open under it. */
export interface RunState {
  span: Span
  context: Context
  /** The model id as the engine reports it (`openai/gpt-4o`). */
  model: string
  /** `gen_ai.provider.name` and `gen_ai.request.model`: the labels of model metrics. */
  labels: Attributes
  /** Built once per run, not per event: the hot path allocates little. */
  shared: SharedAttributes
  call?: ModelCall
  turn: number
  tools: Map<string, Span>
}

/** What span builders need besides the run. */
export interface Recorder {
  telemetry: Telemetry
  text(value: string): string
}

export function serverAttributes(baseUrl: string | undefined): Attributes {
  if (!baseUrl) return {}
  try {
    const url = new URL(baseUrl)
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
    return { 'server.address': url.hostname, 'server.port': port }
  } catch {
    return {}
  }
}
