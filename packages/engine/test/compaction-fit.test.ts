// fitConversation: what a request is compacted to before it goes out — pruning, summarising in
// pieces, truncating the newest results, and the fallbacks — with a scripted summariser.
import { assistantMessage, createTokenCounter, LlmError, type Message, textOf } from '@penguin-ai/llm'
import { type ScriptStep, scriptedStream, testModel } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { type CompactionContext, fitConversation } from '../src/compaction/compact.js'
import { PRUNED_NOTE } from '../src/compaction/prune.js'
import { requestCeiling, requestLimit, SUMMARY_MARKER, SUMMARY_SYSTEM_PROMPT } from '../src/index.js'
import { calls, orphans, result, user } from './compaction-fixtures.js'

describe('fitConversation', () => {
  const model = testModel({ contextWindow: 4_000, maxOutputTokens: 400 })
  const limit = requestLimit(model.info, 0.8)
  const ceiling = requestCeiling(model.info)
  const bounds = { reason: 'threshold' as const, limit, ceiling }

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

  /** Turns whose text (never pruned) outgrows the window, each with a big tool output. */
  function wordyConversation(turns: number, newestOutput = 'z'.repeat(1_500)): Message[] {
    const messages: Message[] = [user('review every file')]
    for (let turn = 0; turn < turns; turn++) {
      messages.push(
        assistantMessage(`Turn ${turn}: ${'thinking '.repeat(120)}`, [
          { id: `c${turn}`, name: 'look', arguments: `{"file":"${turn}"}` },
        ]),
      )
      messages.push(result(`c${turn}`, turn === turns - 1 ? newestOutput : 'z'.repeat(1_500)))
    }
    return messages
  }

  const summaryStep = () => ({
    text: '## Goal\nreview\n## Decisions\nnone',
    usage: [900, 40] as [number, number],
  })

  test('leaves a conversation under the limit alone, without a model call', async () => {
    const { ctx, requests } = context([])
    const history = [user('hi')]
    const fitted = await fitConversation(history, ctx, bounds)
    expect(fitted.messages).toBe(history)
    expect(fitted.compaction).toBeUndefined()
    expect(requests).toHaveLength(0)
  })

  test('prunes older outputs down to about half the limit first, and then needs no summary', async () => {
    const { ctx, requests } = context([])
    const light = [
      user('go'),
      calls('a'),
      result('a', 'q'.repeat(9_000)),
      calls('b'),
      result('b', 'r'.repeat(3_000)),
    ]
    const pruned = await fitConversation(light, ctx, bounds)
    expect(requests).toHaveLength(0)
    // Reported, without a summary: every message is still there.
    expect(pruned.compaction).toEqual({
      reason: 'threshold',
      tokensBefore: expect.any(Number),
      tokensAfter: pruned.tokens,
      keptMessages: light.length,
      prunedOutputs: 1,
      truncatedOutputs: 0,
      summarisedMessages: 0,
    })
    expect(pruned.compaction!.tokensBefore).toBeGreaterThan(limit)
    expect(textOf(pruned.messages[2]!)).toBe(PRUNED_NOTE)
    expect(pruned.messages[4]).toBe(light[4])
    expect(pruned.tokens).toBeLessThanOrEqual(limit / 2)
  })

  test('summarises older turns with the summariser prompt and no tools, in pieces; the newest turn stays whole', async () => {
    const { ctx, requests } = context(summaryStep)
    const history = wordyConversation(10)
    const fitted = await fitConversation(history, ctx, bounds)
    // The older turns are bigger than one summary request may be: a rolling summary over pieces.
    expect(requests.length).toBeGreaterThan(1)
    for (const [index, request] of requests.entries()) {
      expect(request.tools).toBeUndefined()
      expect(request.messages[0]).toEqual({ role: 'system', content: SUMMARY_SYSTEM_PROMPT })
      expect(ctx.counter.countMessages(request.messages)).toBeLessThanOrEqual(limit)
      const rolling = textOf(request.messages[1]!).includes('Summary of the conversation before this part')
      expect(rolling).toBe(index > 0)
      // The newest turn is never part of what is summarised.
      expect(textOf(request.messages[1]!)).not.toContain('Turn 9:')
    }
    expect(textOf(requests[0]!.messages[1]!)).toContain('review every file')
    expect(fitted.compaction).toMatchObject({
      reason: 'threshold',
      summary: '## Goal\nreview\n## Decisions\nnone',
      truncatedOutputs: 0,
    })
    expect(fitted.compaction!.prunedOutputs).toBeGreaterThan(0)
    expect(fitted.compaction!.summarisedMessages).toBe(history.length - fitted.compaction!.keptMessages)
    expect(textOf(fitted.messages[0]!).startsWith(SUMMARY_MARKER)).toBe(true)
    expect(fitted.messages.slice(-2)).toEqual(history.slice(-2))
    // Headroom: the next compaction is several turns away.
    expect(fitted.tokens).toBeLessThanOrEqual(limit / 2)
    expect(fitted.usage.inputTokens).toBe(900 * requests.length)
    expect(orphans(fitted.messages)).toEqual([])
  })

  test('a big newest result over the limit goes whole when it fits the ceiling and little is older', async () => {
    const { ctx, requests } = context([])
    const history = [user('go'), calls('a'), result('a', 'ok'), calls('b'), result('b', 'n'.repeat(10_600))]
    const fitted = await fitConversation(history, ctx, bounds)
    expect(requests).toHaveLength(0)
    expect(fitted.compaction).toBeUndefined()
    expect(fitted.messages).toEqual(history)
    expect(fitted.tokens).toBeGreaterThan(limit)
    expect(fitted.tokens).toBeLessThanOrEqual(ceiling)
  })

  test('newest results that alone do not fit are truncated, head and tail, never summarised', async () => {
    const { ctx, requests } = context([])
    const huge = `HEAD\n${'n'.repeat(20_000)}\nTAIL`
    const fitted = await fitConversation([user('go'), calls('a'), result('a', huge)], ctx, bounds)
    expect(requests).toHaveLength(0)
    expect(fitted.tokens).toBeLessThanOrEqual(ceiling)
    expect(fitted.compaction).toMatchObject({ truncatedOutputs: 1, prunedOutputs: 0, summarisedMessages: 0 })
    expect(fitted.compaction).not.toHaveProperty('summary')
    const cut = textOf(fitted.messages[2]!)
    expect(cut.startsWith('HEAD\n')).toBe(true)
    expect(cut.endsWith('\nTAIL')).toBe(true)
    expect(cut).toMatch(/cut from the middle of this output to fit the context window/)
  })

  test('with older turns to summarise as well, the event counts the truncated results', async () => {
    const { ctx, requests } = context(summaryStep)
    const history = wordyConversation(10, `HEAD\n${'n'.repeat(20_000)}\nTAIL`)
    const fitted = await fitConversation(history, ctx, bounds)
    expect(requests.length).toBeGreaterThan(0)
    expect(fitted.compaction).toMatchObject({ truncatedOutputs: 1 })
    expect(fitted.tokens).toBeLessThanOrEqual(ceiling)
    expect(textOf(fitted.messages.at(-1)!)).toMatch(/^HEAD\n[\s\S]*\nTAIL$/)
    expect(orphans(fitted.messages)).toEqual([])
  })

  test('falls back to dropping older turns behind a mechanical summary when the summary call fails', async () => {
    const { ctx } = context([{ error: new LlmError('server', 'summariser down') }])
    const history = wordyConversation(10)
    const fitted = await fitConversation(history, ctx, bounds)
    expect(fitted.error?.message).toBe('summariser down')
    expect(fitted.compaction?.summary).toContain('review every file')
    expect(fitted.compaction?.summary).toMatch(/could not be summarised/)
    expect(fitted.messages.slice(-2)).toEqual(history.slice(-2))
    expect(fitted.tokens).toBeLessThanOrEqual(limit)
    expect(orphans(fitted.messages)).toEqual([])
    expect(ctx.summariserFailed).toBe(true)
  })

  test('with compaction disabled, only prunes', async () => {
    const { ctx, requests } = context([], false)
    const fitted = await fitConversation(wordyConversation(10), ctx, bounds)
    expect(requests).toHaveLength(0)
    expect(fitted.compaction).toMatchObject({ summarisedMessages: 0, prunedOutputs: expect.any(Number) })
    expect(fitted.compaction).not.toHaveProperty('summary')
    expect(fitted.messages.filter((message) => textOf(message) === PRUNED_NOTE).length).toBeGreaterThan(0)
  })
})
