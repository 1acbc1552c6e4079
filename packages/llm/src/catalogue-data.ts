/**
 * Published limits and list prices (USD per million tokens) of common models. Prices change;
 * these only feed cost estimates and budgets, so "close to the pricing page" is the bar.
 * Names are matched after normalisation (see catalogue.ts), so a dated or routed variant such as
 * `claude-sonnet-4-20250514` or `openrouter/openai/gpt-4o` finds its base entry.
 */
import type { ModelInfo } from './types.js'

export interface CatalogueEntry extends ModelInfo {
  name: string
  /** Set when a provider prices the same open model differently from the default entry. */
  provider?: string
}

const M = 1_000_000
const K = 1_024

export const CATALOGUE: readonly CatalogueEntry[] = [
  // OpenAI
  {
    name: 'gpt-4o',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    inputPrice: 2.5,
    outputPrice: 10,
    cachedInputPrice: 1.25,
  },
  {
    name: 'gpt-4o-mini',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    inputPrice: 0.15,
    outputPrice: 0.6,
    cachedInputPrice: 0.075,
  },
  {
    name: 'gpt-4.1',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 2,
    outputPrice: 8,
    cachedInputPrice: 0.5,
  },
  {
    name: 'gpt-4.1-mini',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 0.4,
    outputPrice: 1.6,
    cachedInputPrice: 0.1,
  },
  {
    name: 'gpt-4.1-nano',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.025,
  },
  {
    name: 'gpt-5',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    inputPrice: 1.25,
    outputPrice: 10,
    cachedInputPrice: 0.125,
  },
  {
    name: 'gpt-5-mini',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    inputPrice: 0.25,
    outputPrice: 2,
    cachedInputPrice: 0.025,
  },
  {
    name: 'gpt-5-nano',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    inputPrice: 0.05,
    outputPrice: 0.4,
    cachedInputPrice: 0.005,
  },
  { name: 'gpt-5-pro', contextWindow: 400_000, maxOutputTokens: 272_000, inputPrice: 15, outputPrice: 120 },
  {
    name: 'o1',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 15,
    outputPrice: 60,
    cachedInputPrice: 7.5,
  },
  {
    name: 'o1-mini',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.55,
  },
  {
    name: 'o3',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 2,
    outputPrice: 8,
    cachedInputPrice: 0.5,
  },
  { name: 'o3-pro', contextWindow: 200_000, maxOutputTokens: 100_000, inputPrice: 20, outputPrice: 80 },
  {
    name: 'o3-mini',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.55,
  },
  {
    name: 'o4-mini',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.275,
  },

  // Anthropic (cached = cache-read price)
  {
    name: 'claude-opus-4-5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPrice: 5,
    outputPrice: 25,
    cachedInputPrice: 0.5,
  },
  {
    name: 'claude-opus-4',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    inputPrice: 15,
    outputPrice: 75,
    cachedInputPrice: 1.5,
  },
  {
    name: 'claude-sonnet-4',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPrice: 3,
    outputPrice: 15,
    cachedInputPrice: 0.3,
  },
  {
    name: 'claude-haiku-4',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPrice: 1,
    outputPrice: 5,
    cachedInputPrice: 0.1,
  },
  {
    name: 'claude-3-7-sonnet',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPrice: 3,
    outputPrice: 15,
    cachedInputPrice: 0.3,
  },
  {
    name: 'claude-3-5-sonnet',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    inputPrice: 3,
    outputPrice: 15,
    cachedInputPrice: 0.3,
  },
  {
    name: 'claude-3-5-haiku',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    inputPrice: 0.8,
    outputPrice: 4,
    cachedInputPrice: 0.08,
  },

  // Google (prices for prompts up to 200k tokens)
  {
    name: 'gemini-2.5-pro',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 1.25,
    outputPrice: 10,
    cachedInputPrice: 0.125,
  },
  {
    name: 'gemini-2.5-flash',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 0.3,
    outputPrice: 2.5,
    cachedInputPrice: 0.03,
  },
  {
    name: 'gemini-2.5-flash-lite',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.01,
  },
  {
    name: 'gemini-2.0-flash',
    contextWindow: M,
    maxOutputTokens: 8_192,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.025,
  },

  // DeepSeek
  {
    name: 'deepseek-chat',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    inputPrice: 0.28,
    outputPrice: 0.42,
    cachedInputPrice: 0.028,
  },
  {
    name: 'deepseek-reasoner',
    contextWindow: 128_000,
    maxOutputTokens: 64_000,
    inputPrice: 0.28,
    outputPrice: 0.42,
    cachedInputPrice: 0.028,
  },

  // Mistral
  { name: 'mistral-large', contextWindow: 128_000, maxOutputTokens: 8_192, inputPrice: 2, outputPrice: 6 },
  { name: 'mistral-medium', contextWindow: 128_000, maxOutputTokens: 8_192, inputPrice: 0.4, outputPrice: 2 },
  {
    name: 'mistral-small',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    inputPrice: 0.1,
    outputPrice: 0.3,
  },
  { name: 'codestral', contextWindow: 256_000, maxOutputTokens: 8_192, inputPrice: 0.3, outputPrice: 0.9 },
  {
    name: 'devstral-medium',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    inputPrice: 0.4,
    outputPrice: 2,
  },
  {
    name: 'devstral-small',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    inputPrice: 0.1,
    outputPrice: 0.3,
  },

  // xAI
  {
    name: 'grok-4',
    contextWindow: 256_000,
    maxOutputTokens: 32_768,
    inputPrice: 3,
    outputPrice: 15,
    cachedInputPrice: 0.75,
  },
  {
    name: 'grok-4-fast',
    contextWindow: 2_000_000,
    maxOutputTokens: 32_768,
    inputPrice: 0.2,
    outputPrice: 0.5,
    cachedInputPrice: 0.05,
  },
  {
    name: 'grok-code-fast-1',
    contextWindow: 256_000,
    maxOutputTokens: 32_768,
    inputPrice: 0.2,
    outputPrice: 1.5,
    cachedInputPrice: 0.02,
  },
  {
    name: 'grok-3',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    inputPrice: 3,
    outputPrice: 15,
    cachedInputPrice: 0.75,
  },
  {
    name: 'grok-3-mini',
    contextWindow: 131_072,
    maxOutputTokens: 16_384,
    inputPrice: 0.3,
    outputPrice: 0.5,
    cachedInputPrice: 0.075,
  },

  // Open-weight models (default: Groq's prices; provider-specific rows where they differ a lot)
  {
    name: 'llama-3.3-70b',
    contextWindow: 131_072,
    maxOutputTokens: 32_768,
    inputPrice: 0.59,
    outputPrice: 0.79,
  },
  {
    name: 'llama-3.3-70b',
    provider: 'together',
    contextWindow: 131_072,
    maxOutputTokens: 8_192,
    inputPrice: 0.88,
    outputPrice: 0.88,
  },
  {
    name: 'llama-3.1-8b',
    contextWindow: 131_072,
    maxOutputTokens: 8_192,
    inputPrice: 0.05,
    outputPrice: 0.08,
  },
  { name: 'qwen3-coder', contextWindow: 262_144, maxOutputTokens: 65_536, inputPrice: 0.4, outputPrice: 1.6 },
  { name: 'kimi-k2', contextWindow: 131_072, maxOutputTokens: 16_384, inputPrice: 1, outputPrice: 3 },
  {
    name: 'gpt-oss-120b',
    contextWindow: 131_072,
    maxOutputTokens: 32_768,
    inputPrice: 0.15,
    outputPrice: 0.75,
  },
  { name: 'gpt-oss-20b', contextWindow: 131_072, maxOutputTokens: 32_768, inputPrice: 0.1, outputPrice: 0.5 },
]

/** What an unknown model is assumed to be: small enough not to overflow, free so budgets don't trip. */
export const UNKNOWN_MODEL_INFO: ModelInfo = {
  contextWindow: 32_768,
  maxOutputTokens: 4_096,
  inputPrice: 0,
  outputPrice: 0,
  unknown: true,
}
