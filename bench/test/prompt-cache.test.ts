import { describe, expect, test } from 'vitest'
import { measurePromptCache } from '../src/perf/prompt-cache.js'

describe('prompt-cache figures', () => {
  // How much is cached is for `pnpm bench:cache` to print against its target; a test checks the
  // figures are real: the session ran, and reads, writes and costs add up the way caching works.
  test.each(['anthropic', 'responses'] as const)('a scripted session on the %s wire', async (wire) => {
    const figures = await measurePromptCache({ wire, turns: 10 })
    expect(figures).toMatchObject({ wire, requests: 10, prompts: 2 })
    expect(figures.cacheReadTokens).toBeGreaterThan(0)
    expect(figures.cacheReadTokens).toBeLessThan(figures.inputTokens)
    expect(figures.cacheShare).toBeCloseTo(figures.cacheReadTokens / figures.inputTokens)
    if (wire === 'anthropic') expect(figures.cacheWriteTokens).toBeGreaterThan(0)
    expect(figures.costWithCache).toBeGreaterThan(0)
    expect(figures.costWithCache).toBeLessThan(figures.costWithoutCache)
  })
})
