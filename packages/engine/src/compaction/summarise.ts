/**
 * The summary call: the older part of the conversation goes to the same model, through the same
 * injectable stream, with no tools and the summariser's system prompt. A transcript too big for
 * one request is summarised in pieces, each call getting the summary so far (a rolling summary),
 * so every summary request stays under the same ceiling as any other request.
 */
import {
  type CallOptions,
  type ChatRequest,
  isLlmError,
  LlmError,
  type Message,
  type ResolvedModel,
  type TokenCounter,
  textOf,
  type Usage,
  userMessage,
} from '@penguin-ai/llm'
import { consumeTurn, type ModelStreamFn } from '../model-turn.js'
import { addUsage, emptyUsage } from '../usage.js'
import { chunkEntries, fitText } from './chunks.js'
import { renderEntry, SUMMARY_SYSTEM_PROMPT, summaryRequestText } from './prompt.js'

export interface SummariseOptions {
  model: ResolvedModel
  stream: ModelStreamFn
  callOptions: CallOptions | undefined
  counter: TokenCounter
  signal: AbortSignal
  /** The most one summary request may measure. */
  limit: number
  /** The summary's length limit (also the room kept for the previous summary in later pieces). */
  maxOutputTokens: number
}

export type SummaryOutcome =
  | { ok: true; summary: string; usage: Usage; calls: number }
  | { ok: false; error: LlmError; usage: Usage; calls: number }

/** More pieces than this and the oldest are left out: a run should not spend dozens of calls here. */
export const MAX_SUMMARY_CALLS = 6
/** Below this many tokens of transcript per request, a summary is not worth asking for. */
const MIN_CHUNK_TOKENS = 200

const quiet = { onTextDelta: () => {}, onRetry: () => {} }

export async function summarise(
  older: readonly Message[],
  options: SummariseOptions,
): Promise<SummaryOutcome> {
  const { counter } = options
  const system: Message = { role: 'system', content: SUMMARY_SYSTEM_PROMPT }
  // What every piece's request carries besides its entries: prompts, framing, the previous summary.
  const frame = counter.countMessages([system, userMessage(summaryRequestText('', [], 1))])
  const budget = options.limit - frame - options.maxOutputTokens
  let usage = emptyUsage()
  let calls = 0
  const fail = (error: LlmError): SummaryOutcome => ({ ok: false, error, usage, calls })
  if (budget < MIN_CHUNK_TOKENS) {
    return fail(
      new LlmError('context_too_long', 'the context window is too small to summarise the conversation'),
    )
  }

  const chunks = chunkEntries(older.map(renderEntry), budget, (text) => counter.count(text))
  const kept = chunks.slice(-MAX_SUMMARY_CALLS)
  let omitted = chunks.slice(0, chunks.length - kept.length).reduce((sum, chunk) => sum + chunk.length, 0)
  let summary = ''
  for (const entries of kept) {
    const request: ChatRequest = {
      messages: [system, userMessage(summaryRequestText(summary, entries, omitted))],
      maxOutputTokens: options.maxOutputTokens,
      signal: options.signal,
    }
    omitted = 0
    const measured = counter.countMessages(request.messages)
    calls++
    const outcome = await consumeTurn(
      options.stream(options.model, request, options.callOptions),
      quiet,
    ).catch((error: unknown) => ({ ok: false as const, error: asLlmError(error), partialText: '' }))
    if (!outcome.ok) return fail(outcome.error)
    usage = addUsage(usage, outcome.usage)
    counter.calibrate(measured, outcome.usage.inputTokens)
    const text = textOf(outcome.message).trim()
    if (!text) return fail(new LlmError('bad_request', 'the model returned an empty summary'))
    // A summariser that overran its length limit must not take the room of the turns kept verbatim.
    summary = fitText(text, options.maxOutputTokens, (piece) => counter.count(piece))
  }
  return { ok: true, summary, usage, calls }
}

function asLlmError(error: unknown): LlmError {
  if (isLlmError(error)) return error
  return new LlmError(
    'server',
    `the summary call failed: ${error instanceof Error ? error.message : String(error)}`,
  )
}
