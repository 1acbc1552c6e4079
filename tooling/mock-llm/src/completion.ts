/**
 * Pure builders for Chat Completions responses: the chunk sequence of a streamed turn and the
 * body of a non-streamed one. The server only frames and sends what these return.
 */
import type { ChatCompletionRequest, FinishReason, MockToolCall, MockTurn } from './types.js'

export interface WireUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens: number }
}

export interface WireToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** What one response is built from; `id`, `created` and `model` are the same on every chunk. */
export interface CompletionContext {
  id: string
  created: number
  model: string
  /** Which turn of the script this is (0-based), for default tool-call ids. */
  turnIndex: number
}

export function argumentsText(call: MockToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments)
}

export function toolCallsOf(turn: MockTurn, turnIndex: number): WireToolCall[] {
  return (turn.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_mock_${turnIndex}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: argumentsText(call) },
  }))
}

export function finishReasonOf(turn: MockTurn): FinishReason {
  return turn.finishReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop')
}

/** Scripted usage, or a rough estimate (4 characters a token) so cost code sees non-zero numbers. */
export function usageOf(turn: MockTurn, request: ChatCompletionRequest | undefined): WireUsage {
  const estimate = (text: string): number => Math.max(1, Math.ceil(text.length / 4))
  const output = (turn.text ?? '') + (turn.toolCalls ?? []).map((c) => c.name + argumentsText(c)).join('')
  const prompt = turn.usage?.prompt_tokens ?? estimate(JSON.stringify(request?.messages ?? []))
  const completion = turn.usage?.completion_tokens ?? estimate(output)
  const usage: WireUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  }
  if (turn.usage?.cached_tokens !== undefined)
    usage.prompt_tokens_details = { cached_tokens: turn.usage.cached_tokens }
  return usage
}

/**
 * Splits text into `pieces` parts of near-equal length. The cut points fall wherever they fall —
 * mid-word, mid-JSON-token — which is exactly what clients must cope with.
 */
export function splitText(text: string, pieces: number): string[] {
  const count = Math.max(1, Math.min(pieces, text.length))
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    parts.push(text.slice(Math.floor((i * text.length) / count), Math.floor(((i + 1) * text.length) / count)))
  }
  return parts.filter((p) => p.length > 0)
}

/** Content goes out in small pieces: at least 3 (when long enough), about 12 characters each. */
function contentPieces(text: string): string[] {
  return splitText(text, Math.max(3, Math.ceil(text.length / 12)))
}

/** Arguments always need at least 3 fragments so reassembly across chunks is exercised. */
function argumentPieces(args: string): string[] {
  return splitText(args, Math.max(3, Math.ceil(args.length / 10)))
}

type Delta = Record<string, unknown>

function chunk(ctx: CompletionContext, delta: Delta, finishReason: FinishReason | null, withUsage: boolean) {
  return {
    id: ctx.id,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    // OpenAI sends `usage: null` on every chunk when usage was requested, then a usage-only chunk.
    ...(withUsage ? { usage: null } : {}),
  }
}

/** The ordered chunk objects of a streamed turn, each to be sent as one SSE `data:` event. */
export function streamChunks(
  turn: MockTurn,
  ctx: CompletionContext,
  request: ChatCompletionRequest | undefined,
) {
  const withUsage = request?.stream_options?.include_usage === true
  const chunks: object[] = [chunk(ctx, { role: 'assistant', content: '' }, null, withUsage)]
  for (const piece of contentPieces(turn.text ?? '')) {
    chunks.push(chunk(ctx, { content: piece }, null, withUsage))
  }

  // Parallel calls are interleaved round-robin so clients must key fragments by index, not order.
  const calls = toolCallsOf(turn, ctx.turnIndex)
  const fragments = calls.map((c) => argumentPieces(c.function.arguments))
  calls.forEach((call, index) => {
    const opening = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: '' },
    }
    chunks.push(chunk(ctx, { tool_calls: [opening] }, null, withUsage))
  })
  const rounds = Math.max(0, ...fragments.map((f) => f.length))
  for (let round = 0; round < rounds; round++) {
    fragments.forEach((pieces, index) => {
      const piece = pieces[round]
      if (piece === undefined) return
      chunks.push(chunk(ctx, { tool_calls: [{ index, function: { arguments: piece } }] }, null, withUsage))
    })
  }

  chunks.push(chunk(ctx, {}, finishReasonOf(turn), withUsage))
  if (withUsage) {
    chunks.push({
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      system_fingerprint: 'fp_mock',
      choices: [],
      usage: usageOf(turn, request),
    })
  }
  return chunks
}

/** The body of a non-streamed turn. */
export function completionBody(
  turn: MockTurn,
  ctx: CompletionContext,
  request: ChatCompletionRequest | undefined,
) {
  const calls = toolCallsOf(turn, ctx.turnIndex)
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: 'fp_mock',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text ?? (calls.length > 0 ? null : ''),
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(turn),
      },
    ],
    usage: usageOf(turn, request),
  }
}
