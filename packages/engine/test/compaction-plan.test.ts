import { type Message, textOf } from '@penguin-ai/llm'
import { describe, expect, test } from 'vitest'
import { chunkEntries } from '../src/compaction/chunks.js'
import { dropOlderTurns, fitCeiling, truncateNewest } from '../src/compaction/last-resort.js'
import { PRUNED_NOTE, pruneOutputs } from '../src/compaction/prune.js'
import {
  compactionSettings,
  isSummaryMessage,
  newestTurnStart,
  planSplit,
  requestLimit,
  SUMMARY_MARKER,
  splitPoints,
  summaryMessage,
} from '../src/index.js'
import { calls, orphans, result, said, user } from './compaction-fixtures.js'

/** A small deterministic PRNG so the randomised test is reproducible. */
function prng(seed: number) {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

function randomConversation(random: () => number): Message[] {
  const messages: Message[] = [user('task')]
  let id = 0
  const turns = 1 + Math.floor(random() * 12)
  for (let turn = 0; turn < turns; turn++) {
    if (random() < 0.15) messages.push(user(`more ${turn}`))
    const count = Math.floor(random() * 4)
    if (count === 0) {
      messages.push(said(`text ${turn}`))
      continue
    }
    const ids = Array.from({ length: count }, () => `c${id++}`)
    messages.push(calls(...ids))
    for (const callId of ids) messages.push(result(callId))
  }
  return messages
}

describe('splitPoints', () => {
  test('lists every cut that keeps calls and results together, newest first', () => {
    const messages = [
      user('go'),
      calls('a', 'b'),
      result('a'),
      result('b'),
      said('ok'),
      user('next'),
      calls('c'),
      result('c'),
    ]
    expect(splitPoints(messages)).toEqual([8, 6, 5, 4, 1, 0])
  })

  test('never orphans a tool result, on a thousand random conversations', () => {
    const random = prng(42)
    for (let run = 0; run < 1000; run++) {
      const messages = randomConversation(random)
      const points = new Set(splitPoints(messages))
      for (let index = 0; index <= messages.length; index++) {
        const kept = messages.slice(index)
        const valid = kept[0]?.role !== 'tool' && orphans(kept).length === 0
        expect(points.has(index), `index ${index} of ${JSON.stringify(messages)}`).toBe(valid)
      }
    }
  })

  test('a result whose call is missing blocks every cut before it', () => {
    const messages = [user('go'), said('hm'), result('ghost'), user('again'), said('fine')]
    expect(splitPoints(messages)).toEqual([5, 4, 3])
  })
})

describe('planSplit', () => {
  const measure = (message: Message) => Math.ceil(textOf(message).length / 4) + 4
  const conversation = [
    user('fix the bug'),
    calls('a'),
    result('a', 'x'.repeat(400)),
    calls('b', 'c'),
    result('b', 'x'.repeat(400)),
    result('c', 'x'.repeat(400)),
    calls('d'),
    result('d', 'x'.repeat(400)),
    said('done'),
  ]

  test('keeps the most recent turns verbatim, up to keepRecentTurns', () => {
    expect(planSplit(conversation, { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBe(8)
    expect(planSplit(conversation, { keepRecentTurns: 2, keptBudget: 10_000, measure })).toBe(6)
    expect(planSplit(conversation, { keepRecentTurns: 3, keptBudget: 10_000, measure })).toBe(3)
  })

  test('keeps fewer turns when they would not fit the budget, down to the newest one', () => {
    expect(planSplit(conversation, { keepRecentTurns: 3, keptBudget: 120, measure })).toBe(6)
    expect(planSplit(conversation, { keepRecentTurns: 3, keptBudget: 4, measure })).toBe(8)
    expect(planSplit(conversation, { keepRecentTurns: 0, keptBudget: 0, measure })).toBe(8)
  })

  test('never summarises the newest turn, however big, nor cuts into it', () => {
    const waiting = [
      ...conversation.slice(0, -1),
      calls('e', 'f'),
      result('e', 'y'.repeat(9_000)),
      result('f'),
    ]
    expect(newestTurnStart(waiting)).toBe(8)
    expect(planSplit(waiting, { keepRecentTurns: 3, keptBudget: 10, measure })).toBe(8)
    expect(planSplit(waiting, { keepRecentTurns: 0, keptBudget: 0, measure })).toBe(8)
  })

  test('never cuts between a call and its results', () => {
    const random = prng(7)
    for (let run = 0; run < 300; run++) {
      const messages = randomConversation(random)
      for (const keepRecentTurns of [0, 1, 2, 3]) {
        for (const keptBudget of [0, 20, 60, 10_000]) {
          const index = planSplit(messages, { keepRecentTurns, keptBudget, measure })
          if (index === undefined) continue
          const kept = messages.slice(index)
          expect(kept[0]?.role).not.toBe('tool')
          expect(orphans(kept)).toEqual([])
          expect(kept.filter((m) => m.role === 'assistant').length).toBeLessThanOrEqual(
            Math.max(1, keepRecentTurns),
          )
          expect(index).toBeLessThanOrEqual(newestTurnStart(messages))
        }
      }
    }
  })

  test('has nothing to do when everything older is already a summary', () => {
    const messages = [summaryMessage('## Goal\nx'), calls('a'), result('a')]
    expect(planSplit(messages, { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBeUndefined()
    expect(planSplit([], { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBeUndefined()
    // The newest turn is never summarised, so even keeping no turns there is nothing to do.
    expect(planSplit(messages, { keepRecentTurns: 0, keptBudget: 10_000, measure })).toBeUndefined()
    // With a turn too many it does: the earlier summary is folded into the new one.
    const longer = [...messages, calls('b'), result('b')]
    expect(planSplit(longer, { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBe(3)
  })
})

describe('newestTurnStart', () => {
  test('the last assistant message, with the results and messages after it', () => {
    expect(newestTurnStart([user('go'), calls('a'), result('a'), calls('b'), result('b')])).toBe(3)
    expect(newestTurnStart([user('go'), calls('a'), result('a'), said('done'), user('next')])).toBe(3)
    // Nothing answered yet: the whole conversation is new to the model.
    expect(newestTurnStart([user('go')])).toBe(0)
    expect(newestTurnStart([])).toBe(0)
  })
})

const sizeMeasure = {
  message: (message: Message) => Math.ceil(textOf(message).length / 4) + 4,
  request: (messages: readonly Message[]) =>
    messages.reduce((sum, message) => sum + Math.ceil(textOf(message).length / 4) + 4, 0),
}

describe('pruneOutputs', () => {
  const messages = [
    user('go'),
    calls('a'),
    result('a', 'a'.repeat(800)),
    calls('b'),
    result('b', 'b'.repeat(800)),
    calls('c'),
    result('c', 'c'.repeat(800)),
  ]

  test('replaces older outputs oldest first until the target, never the newest turn', () => {
    const some = pruneOutputs(messages, 5, 500, sizeMeasure)
    expect(some.pruned).toBe(1)
    expect(textOf(some.messages[2]!)).toBe(PRUNED_NOTE)
    expect(some.messages[4]).toBe(messages[4])
    const all = pruneOutputs(messages, 5, 0, sizeMeasure)
    expect(all.pruned).toBe(2)
    expect(all.messages[6]).toBe(messages[6])
    expect(textOf(messages[2]!)).toBe('a'.repeat(800))
  })

  test('leaves outputs shorter than the note, and does nothing under the target', () => {
    const short = [user('go'), calls('a'), result('a', 'ok'), calls('b'), result('b')]
    expect(pruneOutputs(short, 3, 0, sizeMeasure).pruned).toBe(0)
    expect(pruneOutputs(messages, 5, 10_000, sizeMeasure).pruned).toBe(0)
  })
})

describe('fitting under the ceiling (last resort)', () => {
  test('drops the oldest turns after the summary, keeping the summary and the newest turn', () => {
    const messages = [
      summaryMessage('s'.repeat(100)),
      calls('a'),
      result('a', 'x'.repeat(800)),
      calls('b'),
      result('b', 'x'.repeat(800)),
    ]
    const fitted = dropOlderTurns(messages, 300, sizeMeasure)
    expect(fitted[0]).toBe(messages[0])
    expect(fitted.slice(1)).toEqual(messages.slice(3))
    expect(orphans(fitted)).toEqual([])
  })

  test('truncates the newest results to their head and tail, the biggest first, with a note', () => {
    const big = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')
    const messages = [user('go'), calls('a', 'b'), result('a', big), result('b', 'small result')]
    const { messages: fitted, truncated } = truncateNewest(messages, 1, 600, sizeMeasure)
    expect(truncated).toBe(1)
    expect(sizeMeasure.request(fitted)).toBeLessThanOrEqual(600)
    const cut = textOf(fitted[2]!)
    expect(cut.startsWith('line 0\nline 1\n')).toBe(true)
    expect(cut.endsWith('line 398\nline 399')).toBe(true)
    expect(cut).toMatch(/characters cut from the middle of this output to fit the context window/)
    expect(fitted[3]).toBe(messages[3])
  })

  test('cuts what is older (the summary) before the newest results; a giant message as the last resort', () => {
    const messages = [summaryMessage('s'.repeat(4_000)), calls('a'), result('a', 'r'.repeat(2_000))]
    const spared = fitCeiling(messages, 800, sizeMeasure, true)
    expect(spared.truncated).toBe(0)
    expect(spared.messages[2]).toBe(messages[2])
    expect(isSummaryMessage(spared.messages[0]!)).toBe(true)
    expect(sizeMeasure.request(spared.messages)).toBeLessThanOrEqual(800)

    const giant = fitCeiling([user('y'.repeat(40_000))], 1_000, sizeMeasure, true)
    expect(sizeMeasure.request(giant.messages)).toBeLessThanOrEqual(1_000)
    expect(textOf(giant.messages[0]!)).toMatch(/characters/)
  })
})

describe('chunkEntries', () => {
  const count = (text: string) => Math.ceil(text.length / 4)

  test('packs entries in order into pieces under the budget, cutting any entry too big alone', () => {
    const entries = ['a'.repeat(300), 'b'.repeat(300), 'c'.repeat(5_000), 'd'.repeat(100)]
    const chunks = chunkEntries(entries, 200, count)
    for (const chunk of chunks) {
      expect(chunk.reduce((sum, entry) => sum + count(entry) + 2, 0)).toBeLessThanOrEqual(200)
    }
    expect(chunks.flat().map((entry) => entry[0])).toEqual(['a', 'b', 'c', 'd'])
    expect(chunks.flat()[2]).toMatch(/characters omitted/)
  })
})

describe('settings', () => {
  test('threshold × (window − reserved output)', () => {
    expect(
      requestLimit({ contextWindow: 6_000, maxOutputTokens: 500, inputPrice: 0, outputPrice: 0 }, 0.8),
    ).toBe(4_400)
    // The reserve is capped at a quarter of the window.
    expect(
      requestLimit({ contextWindow: 8_000, maxOutputTokens: 100_000, inputPrice: 0, outputPrice: 0 }, 0.5),
    ).toBe(3_000)
  })

  test('defaults and validation', () => {
    expect(compactionSettings()).toEqual({ threshold: 0.8, keepRecentTurns: 3, enabled: true })
    expect(() => compactionSettings({ threshold: 0 })).toThrow(RangeError)
    expect(() => compactionSettings({ threshold: 1.5 })).toThrow(RangeError)
    expect(() => compactionSettings({ keepRecentTurns: -1 })).toThrow(RangeError)
  })

  test('summary messages are marked', () => {
    const message = summaryMessage('## Goal\nship it\n')
    expect(textOf(message).startsWith(SUMMARY_MARKER)).toBe(true)
    expect(isSummaryMessage(message)).toBe(true)
    expect(isSummaryMessage(user('hello'))).toBe(false)
  })
})
