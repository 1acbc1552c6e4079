import { describe, expect, it } from 'vitest'
import {
  computeCost,
  costWithoutCache,
  lookupModel,
  makeUsage,
  normaliseModelName,
  type Usage,
} from '../src/index.js'

describe('lookupModel', () => {
  it('finds exact names', () => {
    expect(lookupModel('openai', 'gpt-4o')).toEqual({
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      inputPrice: 2.5,
      outputPrice: 10,
      cachedInputPrice: 1.25,
      images: true,
    })
  })

  it('knows current Anthropic and OpenAI models: window, output, prices with cache reads and writes, images, reasoning', () => {
    expect(lookupModel('anthropic', 'claude-sonnet-4-5-20250929')).toEqual({
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      inputPrice: 3,
      outputPrice: 15,
      cachedInputPrice: 0.3,
      cacheWritePrice: 3.75,
      images: true,
      reasoning: true,
    })
    expect(lookupModel('anthropic', 'claude-opus-5')).toMatchObject({
      contextWindow: 1_000_000,
      cacheWritePrice: 6.25,
      cachedInputPrice: 0.5,
      adaptiveThinking: true,
    })
    expect(lookupModel('anthropic', 'claude-3-5-haiku-latest')).toMatchObject({
      reasoning: false,
      images: true,
    })
    expect(lookupModel('openai', 'gpt-5')).toMatchObject({
      reasoning: true,
      images: true,
      cachedInputPrice: 0.125,
    })
    expect(lookupModel('openai', 'gpt-5.5')).toMatchObject({
      inputPrice: 5,
      outputPrice: 30,
      cachedInputPrice: 0.5,
    })
    expect(lookupModel('openai', 'gpt-4o').reasoning).toBeUndefined()
    expect(lookupModel('groq', 'llama-3.3-70b-versatile').images).toBeUndefined()
  })

  it('finds routed, dated and differently spelled variants by their longest known prefix', () => {
    expect(lookupModel('openrouter', 'openai/gpt-4o').inputPrice).toBe(2.5)
    expect(lookupModel('openai', 'gpt-4o-mini-2024-07-18').inputPrice).toBe(0.15)
    expect(lookupModel('anthropic', 'claude-sonnet-4-20250514').outputPrice).toBe(15)
    expect(lookupModel('openrouter', 'anthropic/claude-sonnet-4.5').outputPrice).toBe(15)
    expect(lookupModel('anthropic', 'claude-opus-4-5-20251101').inputPrice).toBe(5)
    expect(lookupModel('anthropic', 'claude-opus-4-1').inputPrice).toBe(15)
    expect(lookupModel('gemini', 'models/gemini-2.5-flash-lite').inputPrice).toBe(0.1)
    expect(lookupModel('gemini', 'gemini-2.5-flash').inputPrice).toBe(0.3)
    expect(lookupModel('openai', 'o3-mini').inputPrice).toBe(1.1)
    expect(lookupModel('openai', 'gpt-4.1-nano').inputPrice).toBe(0.1)
    expect(lookupModel('openrouter', 'qwen/qwen3-coder:free').contextWindow).toBe(262_144)
  })

  it('does not match a name that merely starts with the same letters', () => {
    expect(lookupModel('openai', 'gpt-4').unknown).toBe(true)
    expect(lookupModel('openai', 'o30').unknown).toBe(true)
  })

  it('prefers provider-specific entries', () => {
    expect(lookupModel('groq', 'llama-3.3-70b-versatile').inputPrice).toBe(0.59)
    expect(lookupModel('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo').inputPrice).toBe(0.88)
  })

  it('gives unknown models conservative defaults', () => {
    expect(lookupModel('custom', 'my-finetune')).toEqual({
      contextWindow: 32_768,
      maxOutputTokens: 4_096,
      inputPrice: 0,
      outputPrice: 0,
      unknown: true,
    })
  })

  it('returns copies the caller may change', () => {
    lookupModel('openai', 'gpt-4o').inputPrice = 999
    expect(lookupModel('openai', 'gpt-4o').inputPrice).toBe(2.5)
  })

  it('normalises names', () => {
    expect(normaliseModelName('OpenRouter/Anthropic/Claude-Sonnet-4.5:beta')).toBe('claude-sonnet-4-5')
  })
})

describe('computeCost', () => {
  const usage = (input: number, output: number, cached = 0): Usage =>
    makeUsage({ input, output, cacheRead: cached })

  it('prices input and output per million tokens', () => {
    expect(computeCost(lookupModel('openai', 'gpt-4o'), usage(1_000_000, 100_000))).toBeCloseTo(2.5 + 1, 10)
  })

  it('bills cached input at the cached price', () => {
    // 200k uncached at 3 + 800k cached at 0.3 + 10k output at 15
    expect(
      computeCost(lookupModel('anthropic', 'claude-sonnet-4'), usage(1_000_000, 10_000, 800_000)),
    ).toBeCloseTo(0.6 + 0.24 + 0.15, 10)
  })

  it('bills Anthropic cache writes at 1.25× input, reads at 0.1×, apart from fresh input', () => {
    const info = lookupModel('anthropic', 'claude-sonnet-4-5')
    // 100k fresh at 3, 800k read at 0.3, 100k written at 3.75, 10k output at 15
    const mixed = makeUsage({ input: 1_000_000, output: 10_000, cacheRead: 800_000, cacheWrite: 100_000 })
    expect(computeCost(info, mixed)).toBeCloseTo(0.3 + 0.24 + 0.375 + 0.15, 10)
    expect(costWithoutCache(info, mixed)).toBeCloseTo(3 + 0.15, 10)
  })

  it('bills cached input at the input price when no cached price is known', () => {
    const info = { contextWindow: 1, maxOutputTokens: 1, inputPrice: 2, outputPrice: 4 }
    expect(computeCost(info, usage(500_000, 0, 500_000))).toBeCloseTo(1, 10)
  })

  it('is zero for unknown models', () => {
    expect(computeCost(lookupModel('custom', 'x'), usage(10_000, 10_000))).toBe(0)
  })
})
