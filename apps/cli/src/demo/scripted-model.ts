/**
 * The built-in scripted model behind `penguin demo`: an ordinary `Adapter` (api `scripted`) that
 * plays a fixed, sensible bug-fixing session on the bundled sample repository. It plugs into the
 * engine exactly like a provider, so the demo exercises the real loop, tools and permissions.
 */
import {
  type Adapter,
  type ChatRequest,
  type Message,
  type ResolvedModel,
  type StreamEvent,
  textOf,
  toolCallsOf,
} from '@penguin-ai/llm'
import { nextStep } from './script.js'
import { estimateTokens, playStep } from './stream-step.js'

export type { PlannedCall, Step } from './script.js'
export { nextStep }

export const SCRIPTED_API = 'scripted'

export interface ScriptedAdapterOptions {
  /** Pause between streamed words; ~15 ms reads like a fast model. Use 0 in tests. */
  wordDelayMs?: number
}

export function createScriptedAdapter(options: ScriptedAdapterOptions = {}): Adapter {
  const wordDelayMs = options.wordDelayMs ?? 15
  return {
    api: SCRIPTED_API,
    // The timeout is ignored: nothing here waits on a network, so nothing can hang.
    stream(
      _model: ResolvedModel,
      request: ChatRequest,
      _options: { timeoutMs: number },
    ): AsyncIterable<StreamEvent> {
      return playStep(nextStep(request.messages), {
        wordDelayMs,
        turn: request.messages.filter((m) => m.role === 'assistant').length + 1,
        inputTokens: estimateTokens(requestChars(request)),
        signal: request.signal,
      })
    },
  }
}

export function scriptedModel(): ResolvedModel {
  return {
    id: 'demo/scripted',
    provider: 'demo',
    model: 'scripted',
    api: SCRIPTED_API,
    baseUrl: 'builtin:demo',
    info: { contextWindow: 128_000, maxOutputTokens: 4096, inputPrice: 0, outputPrice: 0 },
  }
}

/** The size of everything a provider would bill as input: messages, tool calls and tool schemas. */
function requestChars(request: ChatRequest): number {
  const messageChars = request.messages.reduce((n, m) => n + messageLength(m), 0)
  const toolChars = request.tools ? JSON.stringify(request.tools).length : 0
  return messageChars + toolChars
}

function messageLength(message: Message): number {
  const text = textOf(message).length
  if (message.role !== 'assistant') return text
  return toolCallsOf(message).reduce((n, c) => n + c.name.length + c.arguments.length, text)
}
