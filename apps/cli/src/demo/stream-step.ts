/**
 * Plays a scripted step out as the event stream a real provider adapter produces: text word by
 * word, each tool call as start → argument fragments → end, then usage and done. The engine
 * cannot tell it from a network model, which is the point of the demo.
 */
import {
  AbortedError,
  type AssistantMessage,
  assistantMessage,
  makeUsage,
  type StreamEvent,
  sleep,
  type ToolCall,
} from '@penguin-ai/llm'
import type { Step } from './script.js'

export interface PlayOptions {
  /** Pause between words, so the demo reads like a streaming model. */
  wordDelayMs: number
  /** Distinguishes this turn's tool-call ids from earlier turns' (`call_demo_<turn>_<index>`). */
  turn: number
  /** Estimated prompt size, reported in the usage event. */
  inputTokens: number
  signal?: AbortSignal
}

export async function* playStep(step: Step, options: PlayOptions): AsyncGenerator<StreamEvent, void> {
  const { signal, wordDelayMs } = options
  const abort: StreamEvent = { type: 'error', error: new AbortedError() }

  for (const word of words(step.text)) {
    if (signal?.aborted) {
      yield abort
      return
    }
    yield { type: 'text_delta', delta: word }
    if (!(await pause(wordDelayMs, signal))) {
      yield abort
      return
    }
  }

  const toolCalls: ToolCall[] = []
  const planned = step.kind === 'tools' ? step.calls : []
  for (const [index, call] of planned.entries()) {
    const toolCall: ToolCall = {
      id: `call_demo_${options.turn}_${index}`,
      name: call.name,
      arguments: JSON.stringify(call.args),
    }
    if (signal?.aborted) {
      yield abort
      return
    }
    yield { type: 'tool_call_start', index, id: toolCall.id, name: toolCall.name }
    for (const piece of pieces(toolCall.arguments)) {
      yield { type: 'tool_call_delta', index, delta: piece }
      if (!(await pause(wordDelayMs, signal))) {
        yield abort
        return
      }
    }
    yield { type: 'tool_call_end', index, toolCall }
    toolCalls.push(toolCall)
  }

  const message: AssistantMessage = assistantMessage(step.text, toolCalls)
  const outputChars = step.text.length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0)
  const usage = makeUsage({ input: options.inputTokens, output: estimateTokens(outputChars) })
  yield { type: 'usage', usage }
  yield { type: 'done', stopReason: toolCalls.length > 0 ? 'tool_calls' : 'stop', message, usage }
}

/** Splits text into words with their trailing whitespace, so the deltas join back exactly. */
export function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : [])
}

/** Splits tool-call JSON into at least two fragments, as providers stream it. */
export function pieces(json: string, count = 3): string[] {
  const size = Math.max(1, Math.ceil(json.length / count))
  const out: string[] = []
  for (let at = 0; at < json.length; at += size) out.push(json.slice(at, at + size))
  return out.length > 0 ? out : ['']
}

/** Roughly four characters per token, the usual rule of thumb for English and code. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4)
}

/** Waits `ms`, returning false if the signal aborts first; no timer at all for 0 (tests play fast). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return ms > 0 ? sleep(ms, signal) : Promise.resolve(!signal?.aborted)
}
