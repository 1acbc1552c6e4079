/** The one line a `context.compacted` event becomes on a terminal: with a summary, and without one. */
import type { EngineEvent } from '@penguin-ai/engine'
import { describe, expect, test } from 'vitest'
import { describeCompaction } from '../src/render/human.js'

type Compacted = Extract<EngineEvent, { type: 'context.compacted' }>
const base = { runId: 'run_1', time: 0, type: 'context.compacted', reason: 'threshold' } as const

describe('describeCompaction', () => {
  test('a summary: what was summarised, pruned and kept', () => {
    const event: Compacted = {
      ...base,
      tokensBefore: 4_900,
      tokensAfter: 2_100,
      summary: '## Goal\nread',
      keptMessages: 3,
      prunedOutputs: 2,
      truncatedOutputs: 0,
      summarisedMessages: 9,
    }
    expect(describeCompaction(event)).toBe(
      'context compacted (threshold): 4.9k → 2.1k tokens; 9 older messages summarised, 2 old tool outputs pruned, 3 recent messages kept',
    )
  })

  test('no summary: only what was pruned and truncated', () => {
    const event: Compacted = {
      ...base,
      tokensBefore: 54_836,
      tokensAfter: 5_459,
      keptMessages: 5,
      prunedOutputs: 0,
      truncatedOutputs: 3,
      summarisedMessages: 0,
    }
    expect(describeCompaction(event)).toBe(
      'context compacted (threshold): 55k → 5.5k tokens; 3 new tool results truncated to fit',
    )
    expect(describeCompaction({ ...event, prunedOutputs: 1, truncatedOutputs: 0 })).toBe(
      'context compacted (threshold): 55k → 5.5k tokens; 1 old tool output pruned',
    )
  })
})
