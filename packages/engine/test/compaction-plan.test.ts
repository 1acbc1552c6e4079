import {
  assistantMessage,
  createTokenCounter,
  LlmError,
  type Message,
  type ToolCall,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from '@penguin-ai/llm'
import { describe, expect, test } from 'vitest'
import { chunkEntries } from '../src/compaction/chunks.js'
import { type CompactionContext, fitConversation } from '../src/compaction/compact.js'
import { enforceLimit } from '../src/compaction/last-resort.js'
import {
  compactionSettings,
  isSummaryMessage,
  planSplit,
  requestLimit,
  SUMMARY_MARKER,
  SUMMARY_SYSTEM_PROMPT,
  splitPoints,
  summaryMessage,
} from '../src/index.js'
import { type ScriptStep, scriptedStream, testModel } from './helpers.js'

const user = (content: string): Message => userMessage(content)
const said = (content: string): Message => assistantMessage(content)
const calls = (...ids: string[]): Message =>
  assistantMessage(
    '',
    ids.map((id): ToolCall => ({ id, name: 'look', arguments: '{}' })),
  )
const result = (id: string, content = `result ${id}`): Message =>
  toolResultMessage({ id, name: 'look' }, content)

/** Every tool result has its call earlier in the same list, and the list does not start with one. */
function orphans(messages: readonly Message[]): string[] {
  const called = new Set<string>()
  const missing: string[] = []
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of toolCallsOf(message)) called.add(call.id)
    if (message.role === 'tool' && !called.has(message.toolCallId)) missing.push(message.toolCallId)
  }
  return missing
}

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

  test('keeps fewer turns when they would not fit the budget, down to none', () => {
    expect(planSplit(conversation, { keepRecentTurns: 3, keptBudget: 120, measure })).toBe(6)
    expect(planSplit(conversation, { keepRecentTurns: 3, keptBudget: 4, measure })).toBe(9)
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
          expect(kept.filter((m) => m.role === 'assistant').length).toBeLessThanOrEqual(keepRecentTurns)
        }
      }
    }
  })

  test('has nothing to do when everything older is already a summary', () => {
    const messages = [summaryMessage('## Goal\nx'), calls('a'), result('a')]
    expect(planSplit(messages, { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBeUndefined()
    expect(planSplit([], { keepRecentTurns: 1, keptBudget: 10_000, measure })).toBeUndefined()
    // With a turn too many it does: the earlier summary is folded into the new one.
    expect(planSplit(messages, { keepRecentTurns: 0, keptBudget: 10_000, measure })).toBe(3)
  })
})

describe('enforceLimit (last resort)', () => {
  const measure = {
    message: (message: Message) => Math.ceil(textOf(message).length / 4) + 4,
    request: (messages: readonly Message[]) =>
      messages.reduce((sum, message) => sum + Math.ceil(textOf(message).length / 4) + 4, 0),
  }

  test('drops the oldest turns after the summary, keeping the summary and the last turn', () => {
    const messages = [
      summaryMessage('s'.repeat(100)),
      calls('a'),
      result('a', 'x'.repeat(800)),
      calls('b'),
      result('b', 'x'.repeat(800)),
    ]
    const fitted = enforceLimit(messages, 300, measure)
    expect(fitted[0]).toBe(messages[0])
    expect(fitted.slice(1)).toEqual(messages.slice(3))
    expect(orphans(fitted)).toEqual([])
  })

  test('cuts a giant message when dropping is not enough', () => {
    const messages = [user('y'.repeat(40_000))]
    const fitted = enforceLimit(messages, 1_000, measure)
    expect(measure.request(fitted)).toBeLessThanOrEqual(1_000)
    expect(textOf(fitted[0]!)).toMatch(/characters omitted/)
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

describe('fitConversation', () => {
  const model = testModel({ contextWindow: 4_000, maxOutputTokens: 400 })
  const limit = requestLimit(model.info, 0.8)

  function context(steps: ScriptStep[] | (() => ScriptStep), enabled = true) {
    const { stream, requests } = scriptedStream(steps)
    const ctx: CompactionContext = {
      model,
      counter: createTokenCounter(model),
      stream,
      callOptions: undefined,
      signal: new AbortController().signal,
      system: { role: 'system', content: 'system' },
      tools: [],
      settings: { threshold: 0.8, keepRecentTurns: 1, enabled },
    }
    return { ctx, requests }
  }

  /** Turns whose text (never elided) outgrows the window, each with a big tool output. */
  function wordyConversation(turns: number): Message[] {
    const messages: Message[] = [user('review every file')]
    for (let turn = 0; turn < turns; turn++) {
      messages.push(
        assistantMessage(`Turn ${turn}: ${'thinking '.repeat(120)}`, [
          { id: `c${turn}`, name: 'look', arguments: `{"file":"${turn}"}` },
        ]),
      )
      messages.push(result(`c${turn}`, 'z'.repeat(1_500)))
    }
    return messages
  }

  test('leaves a conversation under the limit alone, without a model call', async () => {
    const { ctx, requests } = context([])
    const history = [user('hi')]
    const fitted = await fitConversation(history, ctx, { reason: 'threshold', limit, keepToolResults: 2 })
    expect(fitted.messages).toBe(history)
    expect(fitted.compaction).toBeUndefined()
    expect(requests).toHaveLength(0)
  })

  test('elides old tool outputs first and summarises only when that is not enough', async () => {
    const { ctx, requests } = context([])
    const light = [
      user('go'),
      calls('a'),
      result('a', 'q'.repeat(9_000)),
      calls('b'),
      result('b', 'r'.repeat(3_000)),
    ]
    const pruned = await fitConversation(light, ctx, { reason: 'threshold', limit, keepToolResults: 1 })
    expect(requests).toHaveLength(0)
    expect(pruned.compaction).toBeUndefined()
    expect(textOf(pruned.messages[2]!).slice(0, 40)).toMatch(/elided/)
    expect(pruned.tokens).toBeLessThanOrEqual(limit)
  })

  test('summarises older turns with the summariser prompt and no tools, in pieces that fit', async () => {
    const { ctx, requests } = context(() => ({
      text: '## Goal\nreview\n## Decisions\nnone',
      usage: [900, 40],
    }))
    const history = wordyConversation(8)
    const fitted = await fitConversation(history, ctx, { reason: 'threshold', limit, keepToolResults: 2 })
    // The older turns are bigger than one summary request may be: a rolling summary over pieces.
    expect(requests.length).toBeGreaterThan(1)
    for (const [index, request] of requests.entries()) {
      expect(request.tools).toBeUndefined()
      expect(request.messages[0]).toEqual({ role: 'system', content: SUMMARY_SYSTEM_PROMPT })
      expect(ctx.counter.countMessages(request.messages)).toBeLessThanOrEqual(limit)
      const rolling = textOf(request.messages[1]!).includes('Summary of the conversation before this part')
      expect(rolling).toBe(index > 0)
    }
    expect(textOf(requests[0]!.messages[1]!)).toContain('review every file')
    expect(fitted.compaction).toMatchObject({
      reason: 'threshold',
      summary: '## Goal\nreview\n## Decisions\nnone',
    })
    expect(textOf(fitted.messages[0]!).startsWith(SUMMARY_MARKER)).toBe(true)
    expect(fitted.messages.slice(1)).toEqual(history.slice(-fitted.compaction!.keptMessages))
    expect(fitted.tokens).toBeLessThanOrEqual(limit)
    expect(fitted.usage.inputTokens).toBe(900 * requests.length)
    expect(orphans(fitted.messages)).toEqual([])
  })

  test('falls back to elision, then to dropping turns, when the summary call fails', async () => {
    const { ctx } = context([{ error: new LlmError('server', 'summariser down') }])
    const history = wordyConversation(8)
    const fitted = await fitConversation(history, ctx, { reason: 'threshold', limit, keepToolResults: 2 })
    expect(fitted.error?.message).toBe('summariser down')
    expect(fitted.compaction?.summary).toContain('review every file')
    expect(fitted.compaction?.summary).toMatch(/could not be summarised/)
    expect(fitted.tokens).toBeLessThanOrEqual(limit)
    expect(orphans(fitted.messages)).toEqual([])
  })

  test('when eliding is enough after a failed summary, nothing is dropped', async () => {
    const { ctx } = context([{ error: new LlmError('server', 'down') }])
    const history: Message[] = [user('go')]
    for (let turn = 0; turn < 6; turn++)
      history.push(calls(`c${turn}`), result(`c${turn}`, 'w'.repeat(2_400)))
    const fitted = await fitConversation(history, ctx, { reason: 'threshold', limit, keepToolResults: 5 })
    expect(fitted.error?.message).toBe('down')
    expect(fitted.compaction).toBeUndefined()
    expect(fitted.messages).toHaveLength(history.length)
    expect(fitted.tokens).toBeLessThanOrEqual(limit)
  })

  test('with compaction disabled, only elides', async () => {
    const { ctx, requests } = context([], false)
    const fitted = await fitConversation(wordyConversation(8), ctx, {
      reason: 'threshold',
      limit,
      keepToolResults: 2,
    })
    expect(requests).toHaveLength(0)
    expect(fitted.compaction).toBeUndefined()
  })
})
