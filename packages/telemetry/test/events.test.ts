/** The event → span mapping on hand-made event sequences: compaction, retries, permissions, aborts. */
import { type EngineEvent, emptyUsage } from '@penguin-ai/engine'
import { afterEach, describe, expect, test } from 'vitest'
import { engineEventListener, instrumentEngine, METRICS, type Telemetry } from '../src/index.js'
import { manualSource, metricSum, testTelemetry } from './helpers.js'

type Body = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'runId' | 'time'> : never) : never

let telemetry: Telemetry | undefined
afterEach(async () => {
  await telemetry?.shutdown()
  telemetry = undefined
})

const usage = (input: number, output: number) => ({
  type: 'usage' as const,
  usage: {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cachedInputTokens: 0,
    totalTokens: input + output,
  },
  total: {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cachedInputTokens: 0,
    totalTokens: input + output,
  },
  cost: 0.01,
  totalCost: 0.01,
})

const finished = (status: 'completed' | 'aborted', iterations: number) => ({
  type: 'run.finished' as const,
  status,
  text: '',
  usage: emptyUsage(),
  cost: 0,
  iterations,
  durationMs: 40,
})

function player(emit: (event: EngineEvent) => void, runId = 'run-1') {
  let time = 1_700_000_000_000
  return (...events: Body[]) => {
    for (const event of events) {
      time += 10
      emit({ ...event, runId, time } as EngineEvent)
    }
  }
}

describe('engine events to spans', () => {
  test('a summary call before the turn’s own call is its own model span, marked compaction', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const source = manualSource()
    instrumentEngine(source, telemetry)
    const play = player(source.emit)
    play(
      { type: 'run.started', model: 'openai/gpt-4o', workspace: '/w', prompt: 'p' },
      { type: 'turn.started', iteration: 1 },
      usage(500, 50),
      {
        type: 'context.compacted',
        reason: 'threshold',
        tokensBefore: 9000,
        tokensAfter: 2000,
        summary: 's',
        keptMessages: 4,
        prunedOutputs: 3,
        truncatedOutputs: 0,
        summarisedMessages: 12,
      },
      { type: 'turn.retry', attempt: 1, delayMs: 100, reason: 'connection dropped' },
      usage(2000, 20),
      finished('completed', 1),
    )
    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual(['invoke_agent penguin', 'chat gpt-4o', 'chat gpt-4o'])
    const [run, summary, call] = spans
    expect(summary!.attributes['penguin.model_call.purpose']).toBe('compaction')
    expect(summary!.attributes['gen_ai.usage.input_tokens']).toBe(500)
    expect(call!.attributes['penguin.model_call.purpose']).toBeUndefined()
    expect(call!.attributes['gen_ai.usage.input_tokens']).toBe(2000)
    expect(call!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop'])
    expect(call!.events.map((event) => event.name)).toEqual(['penguin.turn.retry'])
    expect(run!.events.map((event) => event.name)).toEqual(['penguin.context.compacted'])
    expect(run!.events[0]!.attributes).toMatchObject({ pruned_outputs: 3, summarised_messages: 12 })
    expect(run!.durationMs).toBe(60)
    expect(await metricSum(setup.reader, METRICS.tokens, { 'gen_ai.token.type': 'input' })).toBe(2500)
  })

  test('permission asks are run events; an aborted run ends its open tool span', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const source = manualSource()
    instrumentEngine(source, telemetry)
    const play = player(source.emit)
    play(
      { type: 'run.started', model: 'openai/gpt-4o', workspace: '/w', prompt: 'p' },
      { type: 'turn.started', iteration: 1 },
      usage(10, 1),
      {
        type: 'permission.asked',
        id: 'p1',
        callId: 'c1',
        tool: 'run_command',
        access: 'execute',
        subject: 'npm test',
        args: {},
        preview: { kind: 'command', summary: 'npm test', command: 'npm test', cwd: '.', realCwd: '/w' },
      },
      {
        type: 'permission.answered',
        id: 'p1',
        callId: 'c1',
        tool: 'run_command',
        reply: 'once',
        auto: false,
      },
      {
        type: 'tool.started',
        callId: 'c1',
        tool: 'run_command',
        args: { command: 'npm test' },
        title: 'npm test',
      },
      finished('aborted', 1),
    )
    const spans = telemetry.spans()
    expect(spans.map((span) => span.name)).toEqual([
      'invoke_agent penguin',
      'chat gpt-4o',
      'execute_tool run_command',
    ])
    expect(spans[0]!.events.map((event) => event.name)).toEqual([
      'penguin.permission.asked',
      'penguin.permission.answered',
    ])
    expect(spans[0]!.events[0]!.attributes).toMatchObject({ subject: 'npm test', access: 'execute' })
    expect(spans[0]!.attributes['penguin.run.status']).toBe('aborted')
    expect(spans[0]!.status.code).toBe('unset')
    expect(spans[2]!.attributes['error.type']).toBe('aborted')
    expect(await metricSum(setup.reader, METRICS.runs, { 'penguin.run.status': 'aborted' })).toBe(1)
    expect(await metricSum(setup.reader, METRICS.activeRuns)).toBe(0)
  })

  test('usage outside a run (engine.compact) still counts; unknown runs are ignored', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const listener = engineEventListener(telemetry, {
      model: { provider: 'gemini', model: 'gemini-2.5-flash' },
    })
    const play = player(listener, 'compact-1')
    play(usage(300, 30), {
      type: 'tool.finished',
      callId: 'x',
      tool: 'grep',
      isError: false,
      output: '',
      details: { kind: 'generic', summary: 'grep' },
      durationMs: 1,
    })
    expect(telemetry.spans()).toEqual([])
    expect(
      await metricSum(setup.reader, METRICS.tokens, {
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.token.type': 'output',
      }),
    ).toBe(30)
  })

  test('unsubscribing mid-run ends the open spans; a broken event never throws into the engine', async () => {
    const setup = await testTelemetry()
    telemetry = setup.telemetry
    const source = manualSource()
    const stop = instrumentEngine(source, telemetry)
    const play = player(source.emit)
    play(
      { type: 'run.started', model: 'openai/gpt-4o', workspace: '/w', prompt: 'p' },
      { type: 'turn.started', iteration: 1 },
    )
    expect(() =>
      source.emit({ type: 'tool.finished', runId: 'run-1' } as unknown as EngineEvent),
    ).not.toThrow()
    stop()
    const spans = telemetry.spans()
    expect(spans).toHaveLength(2)
    expect(spans.every((span) => span.attributes['error.type'] === 'detached')).toBe(true)
    expect(await metricSum(setup.reader, METRICS.activeRuns)).toBe(0)
  })
})
