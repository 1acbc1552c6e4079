import type { Usage } from './types.js'

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 }
}

/** The usage block of an OpenAI-compatible response, as far as it is present. */
export interface WireUsage {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  total_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null } | null
}

export function fromWireUsage(wire: WireUsage): Usage {
  const input = wire.prompt_tokens ?? 0
  const output = wire.completion_tokens ?? 0
  return {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: wire.prompt_tokens_details?.cached_tokens ?? 0,
    // Some servers omit total_tokens; the sum is what it means everywhere else.
    totalTokens: wire.total_tokens ?? input + output,
  }
}
