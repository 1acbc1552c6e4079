import { describe, expect, test } from 'vitest'
import { measureEngineOverhead, measurePromptSize } from '../src/index.js'

describe('performance figures', () => {
  test('engine overhead per turn against an instant in-process model', async () => {
    const overhead = await measureEngineOverhead({ turns: 20, runs: 3 })
    expect(overhead.turns).toBe(20)
    expect(overhead.perTurnMs).toBeGreaterThan(0)
    // The target is 2 ms (checked by `pnpm bench`); here only a sanity bound that survives busy CI machines.
    expect(overhead.perTurnMs).toBeLessThan(50)
    expect(overhead.modelPerTurnMs).toBeLessThan(overhead.perTurnMs)
  })

  test('first-turn prompt size: system prompt plus the eight tool schemas', async () => {
    const size = await measurePromptSize()
    expect(size.tools).toBe(8)
    expect(size.systemPromptTokens).toBeGreaterThan(50)
    expect(size.toolSchemaTokens).toBeGreaterThan(100)
    expect(size.totalTokens).toBe(size.systemPromptTokens + size.toolSchemaTokens)
  })
})
