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

/** Anthropic's price multipliers on input: cache writes (5-minute TTL) 1.25×, cache reads 0.1×. */
function claude(
  name: string,
  limits: { context: number; output: number },
  prices: { input: number; output: number; read?: number },
  thinking: 'budget' | 'adaptive' | 'none',
): CatalogueEntry {
  return {
    name,
    contextWindow: limits.context,
    maxOutputTokens: limits.output,
    inputPrice: prices.input,
    outputPrice: prices.output,
    cachedInputPrice: prices.read ?? round(prices.input * 0.1),
    cacheWritePrice: round(prices.input * 1.25),
    images: true,
    reasoning: thinking !== 'none',
    ...(thinking === 'adaptive' ? { adaptiveThinking: true } : {}),
  }
}

/** OpenAI's GPT-5 family: images in, reasoning effort, cached input at a tenth; caching writes are free. */
function gpt5(
  name: string,
  context: number,
  prices: { input: number; output: number; cached?: number },
): CatalogueEntry {
  return {
    name,
    contextWindow: context,
    maxOutputTokens: 128_000,
    inputPrice: prices.input,
    outputPrice: prices.output,
    ...(prices.cached === undefined ? {} : { cachedInputPrice: prices.cached }),
    images: true,
    reasoning: true,
  }
}

function round(price: number): number {
  return Math.round(price * 10_000) / 10_000
}

const WINDOW_1M = 1_000_000
const CLAUDE_200K = { context: 200_000, output: 64_000 }
const CLAUDE_1M = { context: WINDOW_1M, output: 128_000 }

export const CATALOGUE: readonly CatalogueEntry[] = [
  // OpenAI
  gpt5('gpt-5.5', WINDOW_1M, { input: 5, output: 30, cached: 0.5 }),
  gpt5('gpt-5.5-pro', WINDOW_1M, { input: 30, output: 180 }),
  gpt5('gpt-5.4', WINDOW_1M, { input: 2.5, output: 15, cached: 0.25 }),
  gpt5('gpt-5.4-mini', WINDOW_1M, { input: 0.75, output: 4.5, cached: 0.075 }),
  gpt5('gpt-5.4-nano', WINDOW_1M, { input: 0.2, output: 1.25, cached: 0.02 }),
  gpt5('gpt-5.4-pro', WINDOW_1M, { input: 30, output: 180 }),
  gpt5('gpt-5.1', 400_000, { input: 1.25, output: 10, cached: 0.125 }),
  gpt5('gpt-5', 400_000, { input: 1.25, output: 10, cached: 0.125 }),
  gpt5('gpt-5-mini', 400_000, { input: 0.25, output: 2, cached: 0.025 }),
  gpt5('gpt-5-nano', 400_000, { input: 0.05, output: 0.4, cached: 0.005 }),
  { ...gpt5('gpt-5-pro', 400_000, { input: 15, output: 120 }), maxOutputTokens: 272_000 },
  {
    name: 'gpt-4o',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    inputPrice: 2.5,
    outputPrice: 10,
    cachedInputPrice: 1.25,
    images: true,
  },
  {
    name: 'gpt-4o-mini',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    inputPrice: 0.15,
    outputPrice: 0.6,
    cachedInputPrice: 0.075,
    images: true,
  },
  {
    name: 'gpt-4.1',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 2,
    outputPrice: 8,
    cachedInputPrice: 0.5,
    images: true,
  },
  {
    name: 'gpt-4.1-mini',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 0.4,
    outputPrice: 1.6,
    cachedInputPrice: 0.1,
    images: true,
  },
  {
    name: 'gpt-4.1-nano',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.025,
    images: true,
  },
  {
    name: 'o1',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 15,
    outputPrice: 60,
    cachedInputPrice: 7.5,
    images: true,
    reasoning: true,
  },
  {
    name: 'o1-mini',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.55,
    reasoning: true,
  },
  {
    name: 'o3',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 2,
    outputPrice: 8,
    cachedInputPrice: 0.5,
    images: true,
    reasoning: true,
  },
  {
    name: 'o3-pro',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 20,
    outputPrice: 80,
    images: true,
    reasoning: true,
  },
  {
    name: 'o3-mini',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.55,
    reasoning: true,
  },
  {
    name: 'o4-mini',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    inputPrice: 1.1,
    outputPrice: 4.4,
    cachedInputPrice: 0.275,
    images: true,
    reasoning: true,
  },

  // Anthropic: cached = cache-read price, cache writes 1.25× input. `adaptive` models think by
  // effort (Claude 4.6 and later); `budget` ones take a thinking budget in tokens.
  claude('claude-fable-5-1', CLAUDE_1M, { input: 10, output: 50, read: 0.25 }, 'adaptive'),
  claude('claude-opus-5-5', CLAUDE_1M, { input: 4, output: 20 }, 'adaptive'),
  claude('claude-opus-5', CLAUDE_1M, { input: 5, output: 25 }, 'adaptive'),
  claude('claude-sonnet-5-5', CLAUDE_1M, { input: 2, output: 10 }, 'adaptive'),
  claude('claude-sonnet-5', CLAUDE_1M, { input: 2, output: 10 }, 'adaptive'),
  claude('claude-haiku-5-5', CLAUDE_1M, { input: 0.1, output: 0.5 }, 'adaptive'),
  claude('claude-opus-4-8', CLAUDE_1M, { input: 5, output: 25 }, 'adaptive'),
  claude('claude-opus-4-7', CLAUDE_1M, { input: 5, output: 25 }, 'adaptive'),
  claude('claude-opus-4-6', CLAUDE_1M, { input: 5, output: 25 }, 'adaptive'),
  claude('claude-sonnet-4-6', { context: WINDOW_1M, output: 64_000 }, { input: 3, output: 15 }, 'adaptive'),
  claude('claude-opus-4-5', CLAUDE_200K, { input: 5, output: 25 }, 'budget'),
  claude('claude-sonnet-4-5', CLAUDE_200K, { input: 3, output: 15 }, 'budget'),
  claude('claude-haiku-4-5', CLAUDE_200K, { input: 1, output: 5 }, 'budget'),
  claude('claude-opus-4-1', { context: 200_000, output: 32_000 }, { input: 15, output: 75 }, 'budget'),
  claude('claude-opus-4', { context: 200_000, output: 32_000 }, { input: 15, output: 75 }, 'budget'),
  claude('claude-sonnet-4', CLAUDE_200K, { input: 3, output: 15 }, 'budget'),
  claude('claude-haiku-4', CLAUDE_200K, { input: 1, output: 5 }, 'budget'),
  claude('claude-3-7-sonnet', CLAUDE_200K, { input: 3, output: 15 }, 'budget'),
  claude('claude-3-5-sonnet', { context: 200_000, output: 8_192 }, { input: 3, output: 15 }, 'none'),
  claude('claude-3-5-haiku', { context: 200_000, output: 8_192 }, { input: 0.8, output: 4 }, 'none'),

  // Google (prices for prompts up to 200k tokens)
  {
    name: 'gemini-2.5-pro',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 1.25,
    outputPrice: 10,
    cachedInputPrice: 0.125,
    images: true,
  },
  {
    name: 'gemini-2.5-flash',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 0.3,
    outputPrice: 2.5,
    cachedInputPrice: 0.03,
    images: true,
  },
  {
    name: 'gemini-2.5-flash-lite',
    contextWindow: M,
    maxOutputTokens: 64 * K,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.01,
    images: true,
  },
  {
    name: 'gemini-2.0-flash',
    contextWindow: M,
    maxOutputTokens: 8_192,
    inputPrice: 0.1,
    outputPrice: 0.4,
    cachedInputPrice: 0.025,
    images: true,
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
    images: true,
  },
  {
    name: 'grok-4-fast',
    contextWindow: 2_000_000,
    maxOutputTokens: 32_768,
    inputPrice: 0.2,
    outputPrice: 0.5,
    cachedInputPrice: 0.05,
    images: true,
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
