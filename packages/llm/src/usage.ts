import type { Usage } from './types.js'

export function emptyUsage(): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cachedInputTokens: 0,
    totalTokens: 0,
  }
}

/**
 * A usage figure from its parts. `input` is all input tokens (fresh, read from and written to the
 * cache); the alias `cachedInputTokens` is filled in.
 */
export function makeUsage(parts: {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
  total?: number
}): Usage {
  const cacheRead = parts.cacheRead ?? 0
  return {
    inputTokens: parts.input,
    outputTokens: parts.output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: parts.cacheWrite ?? 0,
    cachedInputTokens: cacheRead,
    totalTokens: parts.total ?? parts.input + parts.output,
  }
}

export function addUsage(a: Usage, b: Usage): Usage {
  return makeUsage({
    input: a.inputTokens + b.inputTokens,
    output: a.outputTokens + b.outputTokens,
    cacheRead: a.cacheReadTokens + b.cacheReadTokens,
    cacheWrite: a.cacheWriteTokens + b.cacheWriteTokens,
    total: a.totalTokens + b.totalTokens,
  })
}

/** The usage block of an OpenAI-compatible response, as far as it is present. */
export interface WireUsage {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  total_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null } | null
}

/** Chat Completions: `prompt_tokens` includes the cached part; caching writes cost nothing extra. */
export function fromWireUsage(wire: WireUsage): Usage {
  const input = wire.prompt_tokens ?? 0
  const output = wire.completion_tokens ?? 0
  return makeUsage({
    input,
    output,
    cacheRead: wire.prompt_tokens_details?.cached_tokens ?? 0,
    // Some servers omit total_tokens; the sum is what it means everywhere else.
    total: wire.total_tokens ?? input + output,
  })
}
