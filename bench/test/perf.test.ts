import { describe, expect, test } from 'vitest'
import { measureEngineOverhead, measurePromptSize } from '../src/index.js'

describe('performance figures', () => {
  test('engine overhead per turn against an instant in-process model', async () => {
    const overhead = await measureEngineOverhead({ turns: 20, runs: 3 })
    expect(overhead).toMatchObject({ turns: 20, runs: 3 })
    // How fast is for `pnpm bench` to print (the target is 2 ms); a test only checks the figures
    // are real measurements: positive, finite, and the best run no worse than the median.
    for (const figure of [overhead.perTurnMs, overhead.bestPerTurnMs, overhead.modelPerTurnMs]) {
      expect(Number.isFinite(figure)).toBe(true)
      expect(figure).toBeGreaterThanOrEqual(0)
    }
    expect(overhead.perTurnMs).toBeGreaterThan(0)
    expect(overhead.bestPerTurnMs).toBeLessThanOrEqual(overhead.perTurnMs)
  })

  test('first-turn prompt size: system prompt plus the eight tool schemas', async () => {
    const size = await measurePromptSize()
    expect(size.tools).toBe(8)
    expect(size.systemPromptTokens).toBeGreaterThan(50)
    expect(size.toolSchemaTokens).toBeGreaterThan(100)
    expect(size.totalTokens).toBe(size.systemPromptTokens + size.toolSchemaTokens)
  })
})
