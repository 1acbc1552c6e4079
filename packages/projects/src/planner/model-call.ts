import type { ModelStreamFn } from '@penguin-ai/engine'
import type {
  AssistantMessage,
  CallOptions,
  ChatRequest,
  LlmError,
  ResolvedModel,
  Usage,
} from '@penguin-ai/llm'

export type ModelReply =
  | { ok: true; message: AssistantMessage; usage: Usage }
  | { ok: false; error: LlmError }

/**
 * One model call, consumed to its final message. Partial output is irrelevant here: the planner
 * only acts on a complete reply, so text deltas and retries are simply passed over.
 */
export async function callModel(
  stream: ModelStreamFn,
  model: ResolvedModel,
  request: ChatRequest,
  callOptions?: CallOptions,
): Promise<ModelReply> {
  for await (const event of stream(model, request, callOptions)) {
    if (event.type === 'done') return { ok: true, message: event.message, usage: event.usage }
    if (event.type === 'error') return { ok: false, error: event.error }
  }
  throw new Error('model stream ended without a done or error event')
}
