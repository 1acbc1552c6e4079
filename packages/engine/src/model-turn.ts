import type {
  AssistantMessage,
  CallOptions,
  ChatRequest,
  LlmError,
  ResolvedModel,
  StopReason,
  StreamEvent,
  Usage,
} from '@penguin-ai/llm'

/** How the engine obtains a model's stream; injectable so the loop is testable without a network. */
export type ModelStreamFn = (
  model: ResolvedModel,
  request: ChatRequest,
  options?: CallOptions,
) => AsyncIterable<StreamEvent>

export type TurnOutcome =
  | { ok: true; message: AssistantMessage; usage: Usage; stopReason: StopReason }
  | { ok: false; error: LlmError; partialText: string }

export interface TurnCallbacks {
  onTextDelta(delta: string): void
  onReasoningDelta?(delta: string): void
  onRetry(attempt: number, delayMs: number, reason: string): void
}

/** Consumes one model stream into an outcome, forwarding what UIs want to see as it arrives. */
export async function consumeTurn(
  events: AsyncIterable<StreamEvent>,
  callbacks: TurnCallbacks,
): Promise<TurnOutcome> {
  let partialText = ''
  for await (const event of events) {
    switch (event.type) {
      case 'text_delta':
        partialText += event.delta
        callbacks.onTextDelta(event.delta)
        break
      case 'reasoning_delta':
        callbacks.onReasoningDelta?.(event.delta)
        break
      case 'retry':
        partialText = ''
        callbacks.onRetry(event.attempt, event.delayMs, event.reason)
        break
      case 'done':
        // Usage is taken from `done` only: it is the final figure, and a retried attempt's is void.
        return { ok: true, message: event.message, usage: event.usage, stopReason: event.stopReason }
      case 'error':
        return { ok: false, error: event.error, partialText }
      default:
        break
    }
  }
  throw new Error('model stream ended without a done or error event')
}
