import {
  type ChatRequest,
  createTokenCounter,
  LlmError,
  type Message,
  type TokenCounter,
  textOf,
  toolCallsOf,
  userMessage,
} from '@penguin-ai/llm'
import { type ScriptStep, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { defineTool, openWorkspace, type Tool } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import {
  Engine,
  type EngineEvent,
  type EngineOptions,
  requestLimit,
  SUMMARY_MARKER,
  SUMMARY_SYSTEM_PROMPT,
} from '../src/index.js'

const SUMMARY =
  '## Goal\nread the files\n## Decisions\nnone\n## Files touched\n- f1\n## Todo state\nmore\n## Open problems\nnone'

const contents = (file: string, lines = 140) => `contents of ${file}\n${'line of code;\n'.repeat(lines)}`

/** Reads a made-up file: a big output, as a real read would be. */
const readTool: Tool = defineTool({
  name: 'read',
  description: 'reads a file',
  readOnly: true,
  parameters: z.object({ file: z.string(), lines: z.number().optional() }),
  permission: (args) => ({ access: 'read', subject: args.file }),
  execute: async (args) => contents(args.file, args.lines),
})

const isSummaryRequest = (request: ChatRequest) => request.tools === undefined

/** Without calibration, so sizes in these tests do not drift with the scripted usage figures. */
function steadyCounter(model = testModel()): TokenCounter {
  const counter = createTokenCounter(model)
  counter.calibrate = () => {}
  return counter
}

async function setup(
  script: ScriptStep[] | ((request: ChatRequest, index: number) => ScriptStep),
  options: Partial<EngineOptions> = {},
) {
  const workspace = await openWorkspace(await tempDir())
  const { stream, requests } = scriptedStream(script)
  const events: EngineEvent[] = []
  const model = options.model ?? testModel({ contextWindow: 4_000, maxOutputTokens: 400 })
  const engine = new Engine({
    model,
    workspace,
    tools: [readTool],
    systemPrompt: 'test system prompt',
    stream,
    tokenCounter: steadyCounter(model),
    ...options,
  })
  engine.subscribe((event) => events.push(event))
  return { engine, requests, events, model }
}

/** A model that reads `turns` files, one per turn (with a few sentences each time), then answers. */
function reader(turns: number, summary: ScriptStep = { text: SUMMARY, usage: [700, 60] }, lines?: number) {
  let read = 0
  return (request: ChatRequest): ScriptStep => {
    if (isSummaryRequest(request)) return summary
    read++
    if (read > turns) return { text: 'All files read.' }
    return {
      text: `Reading file ${read} next, because ${'it matters '.repeat(40)}`,
      calls: [{ name: 'read', args: { file: `f${read}`, ...(lines ? { lines } : {}) } }],
    }
  }
}

const compactions = (events: EngineEvent[]) =>
  events.flatMap((event) => (event.type === 'context.compacted' ? [event] : []))
/** The compactions that summarised (the others only pruned or truncated). */
const summarised = (events: EngineEvent[]) =>
  compactions(events).filter((event) => event.summary !== undefined)

function toolResultsHaveCalls(messages: readonly Message[]): boolean {
  const called = new Set<string>()
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of toolCallsOf(message)) called.add(call.id)
    if (message.role === 'tool' && !called.has(message.toolCallId)) return false
  }
  return true
}

describe('compaction in the engine', () => {
  test('passing the threshold summarises older turns: no tools, the summariser prompt, history replaced', async () => {
    const { engine, requests, events, model } = await setup(reader(20))
    const limit = requestLimit(model.info, 0.8)
    const counter = steadyCounter(model)
    const result = await engine.run('read the files')
    expect(result.status).toBe('completed')

    const summaries = requests.filter(isSummaryRequest)
    expect(summaries.length).toBeGreaterThan(0)
    for (const request of summaries) {
      expect(request.messages[0]).toEqual({ role: 'system', content: SUMMARY_SYSTEM_PROMPT })
      expect(request.messages).toHaveLength(2)
      expect(counter.countMessages(request.messages)).toBeLessThanOrEqual(limit)
    }
    // The first summary sees the task itself.
    expect(textOf(summaries[0]!.messages[1]!)).toContain('read the files')

    const main = requests.filter((request) => !isSummaryRequest(request))
    for (const request of main) {
      expect(counter.countMessages(request.messages, request.tools)).toBeLessThanOrEqual(limit)
      expect(toolResultsHaveCalls(request.messages)).toBe(true)
      expect(request.messages[1]?.role).not.toBe('tool')
    }

    const compacted = summarised(events)
    expect(compacted.length).toBeGreaterThan(0)
    const first = compacted[0]!
    expect(first).toMatchObject({ reason: 'threshold', summary: SUMMARY })
    expect(first.tokensBefore).toBeGreaterThan(limit)
    expect(first.tokensAfter).toBeLessThan(first.tokensBefore)

    // The request right after the first compaction: system, the summary, then the kept turns verbatim.
    const firstSummaryIndex = requests.indexOf(summaries[0]!)
    const before = requests[firstSummaryIndex - 1]!.messages
    const after = requests[firstSummaryIndex + 1]!.messages
    expect(after[1]).toEqual(userMessage(`${SUMMARY_MARKER}\n${SUMMARY}`))
    // After the summary: the newest turns, verbatim. The newest is the one answered to `before`.
    const kept = after.slice(2)
    expect(kept.length).toBe(first.keptMessages)
    expect(kept[0]!.role).toBe('assistant')
    const newest = kept.at(-2)!
    expect(newest.role).toBe('assistant')
    const read = before.filter((message) => message.role === 'assistant').length + 1
    expect(textOf(newest)).toMatch(new RegExp(`^Reading file ${read} next`))
    // The newest result, which the model has not read yet, goes whole.
    expect(textOf(kept.at(-1)!)).toBe(contents(`f${read}`))
    // Older kept turns are as they were, but their tool outputs may have been pruned on the way.
    for (const message of kept.slice(0, -2)) {
      if (message.role === 'tool' && /elided/.test(textOf(message))) {
        expect(before.some((m) => m.role === 'tool' && m.toolCallId === message.toolCallId)).toBe(true)
      } else expect(before).toContainEqual(message)
    }
    expect(first.summarisedMessages).toBeGreaterThan(0)
    expect(first.truncatedOutputs).toBe(0)
    expect(textOf(engine.messages[0]!).startsWith(SUMMARY_MARKER)).toBe(true)
  })

  test('every result reaches the model whole before it is pruned or summarised; summaries are rare', async () => {
    // Each read takes about half of the limit: the newest result alone crowds out everything older.
    const { engine, requests, events, model } = await setup(reader(30, undefined, 380))
    expect((await engine.run('read the files')).status).toBe('completed')
    const main = requests.filter((request) => !isSummaryRequest(request))
    const summaries = requests.filter(isSummaryRequest)
    for (let file = 1; file <= 30; file++) {
      const whole = contents(`f${file}`, 380)
      const seen = main.findIndex((request) => request.messages.some((message) => textOf(message) === whole))
      expect(seen, `f${file}`).toBeGreaterThanOrEqual(0)
      // It was the newest result of that request: the model read it whole before anything else happened to it.
      expect(textOf(main[seen]!.messages.at(-1)!)).toBe(whole)
    }
    // The newest result never goes to the summariser: each summary request is made right before a
    // main request whose last message is a result the transcript does not hold.
    for (const summary of summaries) {
      const next = requests.slice(requests.indexOf(summary)).find((request) => !isSummaryRequest(request))!
      const newest = next.messages.at(-1)!
      expect(newest.role).toBe('tool')
      expect(textOf(summary.messages[1]!)).not.toContain(textOf(newest).split('\n')[0])
    }
    // Compacting leaves headroom: far fewer summaries than turns, and pruning brings requests to
    // about half of the limit so the next compaction is several turns away.
    expect(summaries.length).toBeGreaterThan(0)
    expect(summaries.length).toBeLessThanOrEqual(30 / 4)
    const limit = requestLimit(model.info, 0.8)
    const counter = steadyCounter(model)
    for (const event of summarised(events)) expect(event.tokensAfter).toBeLessThanOrEqual(limit * 0.75)
    for (const request of main)
      expect(counter.countMessages(request.messages, request.tools)).toBeLessThanOrEqual(limit)
  })

  test('summary calls count toward the run usage and cost', async () => {
    const { engine, events, requests } = await setup(reader(20, { text: SUMMARY, usage: [5_000, 300] }))
    const result = await engine.run('read the files')
    const summaryCalls = requests.filter(isSummaryRequest).length
    expect(summaryCalls).toBeGreaterThan(0)
    const mainCalls = requests.length - summaryCalls
    // Main turns report the helper's default [100, 10].
    expect(result.usage.inputTokens).toBe(mainCalls * 100 + summaryCalls * 5_000)
    expect(result.usage.outputTokens).toBe(mainCalls * 10 + summaryCalls * 300)
    const usageEvents = events.filter((event) => event.type === 'usage')
    expect(usageEvents).toHaveLength(requests.length)
    expect(result.cost).toBeCloseTo(result.usage.inputTokens * 1e-6 + result.usage.outputTokens * 2e-6, 10)
  })

  test('a summary that spends the budget ends the run before the next request', async () => {
    const { engine, requests } = await setup(reader(20, { text: SUMMARY, usage: [50_000, 300] }), {
      budget: { maxTokens: 20_000 },
    })
    const result = await engine.run('read the files')
    expect(result.status).toBe('budget_exceeded')
    expect(isSummaryRequest(requests.at(-1)!)).toBe(true)
    expect(toolResultsHaveCalls(engine.messages)).toBe(true)
  })

  test('a failing summariser falls back to elision and dropping, once per run; the run completes', async () => {
    const { engine, requests, events, model } = await setup(
      reader(20, { error: new LlmError('bad_request', 'no summaries today') }),
    )
    const result = await engine.run('read the files')
    expect(result.status).toBe('completed')
    const limit = requestLimit(model.info, 0.8)
    const counter = steadyCounter(model)
    for (const request of requests.filter((r) => !isSummaryRequest(r))) {
      expect(counter.countMessages(request.messages, request.tools)).toBeLessThanOrEqual(limit)
    }
    const dropped = summarised(events)
    expect(dropped.length).toBeGreaterThan(0)
    expect(dropped[0]!.summary).toContain('read the files')
    expect(dropped[0]!.summary).toMatch(/could not be summarised/)
    // One failure is enough: the rest of the run does not keep paying for a broken summariser.
    expect(requests.filter(isSummaryRequest)).toHaveLength(1)
  })

  test('compaction can be turned off: old outputs are still elided, nothing is summarised', async () => {
    const { engine, requests, events } = await setup(reader(8), { compaction: { enabled: false } })
    const result = await engine.run('read the files')
    expect(result.status).toBe('completed')
    expect(requests.filter(isSummaryRequest)).toHaveLength(0)
    // Pruning is still reported, never a summary.
    expect(compactions(events).length).toBeGreaterThan(0)
    for (const event of compactions(events)) {
      expect(event.summary).toBeUndefined()
      expect(event.summarisedMessages).toBe(0)
      expect(event.prunedOutputs + event.truncatedOutputs).toBeGreaterThan(0)
    }
    const last = requests.at(-1)!.messages.filter((message) => message.role === 'tool')
    expect(textOf(last[0]!)).toMatch(/elided/)
  })

  test('a context-too-long reply with nothing left to elide summarises (reason overflow)', async () => {
    let rejected = false
    const script = (request: ChatRequest, index: number): ScriptStep => {
      if (isSummaryRequest(request)) return { text: SUMMARY }
      if (index < 3)
        return { text: 'Reading. '.repeat(800), calls: [{ name: 'read', args: { file: `f${index}` } }] }
      if (!rejected) {
        rejected = true
        return { error: new LlmError('context_too_long', 'maximum context length exceeded') }
      }
      return { text: 'done' }
    }
    const { engine, events, requests } = await setup(script, {
      model: testModel({ contextWindow: 100_000, maxOutputTokens: 4_000 }),
      compaction: { keepRecentTurns: 1 },
    })
    const result = await engine.run('read the files')
    expect(result.status).toBe('completed')
    const compacted = compactions(events)
    expect(compacted).toHaveLength(1)
    expect(compacted[0]!.reason).toBe('overflow')
    expect(events.some((event) => event.type === 'turn.retry')).toBe(true)
    expect(textOf(requests.at(-1)!.messages[1]!).startsWith(SUMMARY_MARKER)).toBe(true)
  })

  // The second engine loads the o200k ranks (~150 MB): seconds of work, more on a busy machine.
  test('the real tokenizer is loaded only once a request nears the limit', { timeout: 120_000 }, async () => {
    const short = createTokenCounter('gpt-4o')
    const quick = await setup([{ calls: [{ name: 'read', args: { file: 'a' } }] }, { text: 'done' }], {
      tokenCounter: short,
      model: testModel(),
    })
    expect((await quick.engine.run('read a')).status).toBe('completed')
    expect(short.encoding).toBe('o200k_base')
    expect(short.exact).toBe(false)

    const long = createTokenCounter('gpt-4o')
    const { engine, events } = await setup(reader(20), { tokenCounter: long })
    expect((await engine.run('read the files')).status).toBe('completed')
    expect(long.exact).toBe(true)
    expect(compactions(events).length).toBeGreaterThan(0)
  })

  test('the counter is calibrated with the reported input tokens of every turn', async () => {
    const counter = createTokenCounter('some-local-model')
    const { engine } = await setup(
      [
        { calls: [{ name: 'read', args: { file: 'a' } }], usage: [3_000, 10] },
        { text: 'done', usage: [3_000, 10] },
      ],
      { tokenCounter: counter, model: testModel() },
    )
    await engine.run('read a')
    expect(counter.factor).toBeGreaterThan(1)
  })
})

describe('engine.compact() (/compact)', () => {
  test('summarises all but the recent turns on demand, whatever the size', async () => {
    const script: ScriptStep[] = [
      { calls: [{ name: 'read', args: { file: 'a' } }] },
      { calls: [{ name: 'read', args: { file: 'b' } }] },
      { calls: [{ name: 'read', args: { file: 'c' } }] },
      { text: 'read them all' },
      { text: SUMMARY, usage: [1_000, 100] },
      { text: 'continuing' },
    ]
    const { engine, requests, events } = await setup(script, {
      model: testModel({ contextWindow: 200_000, maxOutputTokens: 8_000 }),
      compaction: { keepRecentTurns: 1 },
    })
    await engine.run('read a, b and c')
    const before = [...engine.messages]
    const compacted = await engine.compact()
    expect(compacted).toMatchObject({ reason: 'manual', summary: SUMMARY, keptMessages: 1 })
    expect(compacted!.tokensAfter).toBeLessThan(compacted!.tokensBefore)
    expect(compacted!.usage.inputTokens).toBe(1_000)
    expect(compacted!.cost).toBeCloseTo(1_000e-6 + 200e-6, 10)
    expect(isSummaryRequest(requests[4]!)).toBe(true)
    expect(textOf(requests[4]!.messages[0]!)).toBe(SUMMARY_SYSTEM_PROMPT)
    expect(engine.messages).toEqual([userMessage(`${SUMMARY_MARKER}\n${SUMMARY}`), before.at(-1)])
    const event = compactions(events).at(-1)!
    expect(event).toMatchObject({ reason: 'manual', keptMessages: 1 })

    await engine.run('go on')
    expect(requests[5]!.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ])
  })

  test('has nothing to do on a short conversation, and makes no call', async () => {
    const { engine, requests } = await setup([{ text: 'hi' }])
    expect(await engine.compact()).toBeUndefined()
    await engine.run('hello')
    expect(await engine.compact()).toBeUndefined()
    expect(requests).toHaveLength(1)
  })

  test('a failed summary leaves the conversation as it was and rejects with the error', async () => {
    const { engine } = await setup(
      [
        { calls: [{ name: 'read', args: { file: 'a' } }] },
        { calls: [{ name: 'read', args: { file: 'b' } }] },
        { text: 'ok' },
        { error: new LlmError('server', 'summariser down') },
      ],
      { compaction: { keepRecentTurns: 1 } },
    )
    await engine.run('read')
    const before = [...engine.messages]
    await expect(engine.compact()).rejects.toThrow('summariser down')
    expect(engine.messages).toEqual(before)
  })
})
