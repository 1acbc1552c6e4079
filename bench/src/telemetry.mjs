// `pnpm bench:telemetry`: what telemetry costs a run. A scripted 50-turn run (every turn calls
// todo_write, the last answers), with telemetry off and on, interleaved so drift hits both alike:
//
// - instant model (the approach of perf/engine-overhead.ts): an in-process stream whose own time is
//   subtracted, so the figure is Penguin's loop alone, per turn, in microseconds;
// - mock model over HTTP: the same script served by @penguin-ai/mock-llm on loopback through the real
//   streamChat and openai SDK — the fastest real model there is; the figure is wall time per turn.
//
// Off is what every run gets without --trace or OTEL_*: nothing attached (@penguin-ai/telemetry is not
// even loaded). On is the CLI's --trace pipeline, made fresh for each run as a `penguin run --trace`
// process makes it: run, chat and execute_tool spans kept in memory (redacted when read), every
// metric with a Prometheus reader. A second "off" series (A/A) gives the
// noise floor. Targets (issue 7): off costs nothing measurable; on adds under 5%.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Engine } from '@penguin-ai/engine'
import { resolveModel } from '@penguin-ai/llm'
import { startMockServer } from '@penguin-ai/mock-llm'
import { createTelemetry, instrumentEngine } from '@penguin-ai/telemetry'
import { openWorkspace } from '@penguin-ai/tools'
import { median, printTable } from './measure.mjs'

const TURNS = 50
const INSTANT_RUNS = Number(process.env.BENCH_RUNS ?? 41)
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 31)

const INSTANT = {
  id: 'bench/instant',
  provider: 'bench',
  model: 'instant',
  api: 'bench-instant',
  baseUrl: 'http://instant.invalid',
  info: { contextWindow: 200_000, maxOutputTokens: 8192, inputPrice: 1, outputPrice: 2 },
}

const todoArgs = (turn) => ({ todos: [{ content: `step ${turn}`, status: 'in_progress' }] })

/** Every turn but the last calls todo_write (no I/O: the loop's own cost); the last answers. */
function instantModel(clock) {
  let turn = 0
  return () => {
    turn++
    const last = turn >= TURNS
    const args = JSON.stringify(todoArgs(turn))
    const call = { id: `call_${turn}`, name: 'todo_write', arguments: args }
    const message = last
      ? { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] }
      : { role: 'assistant', content: [{ type: 'tool_call', ...call }] }
    const events = last
      ? [{ type: 'text_delta', delta: 'Done.' }]
      : [
          { type: 'tool_call_start', index: 0, id: call.id, name: call.name },
          { type: 'tool_call_delta', index: 0, delta: args },
          { type: 'tool_call_end', index: 0, toolCall: call },
        ]
    const usage = {
      inputTokens: 1000,
      outputTokens: 20,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cachedInputTokens: 0,
      totalTokens: 1020,
    }
    events.push({ type: 'done', stopReason: last ? 'stop' : 'tool_calls', message, usage })
    return {
      [Symbol.asyncIterator]() {
        let index = 0
        return {
          async next() {
            const t0 = process.hrtime.bigint()
            const value = events[index++]
            clock.modelNs += process.hrtime.bigint() - t0
            return value ? { value, done: false } : { value: undefined, done: true }
          },
        }
      },
    }
  }
}

/** The same script from the mock server: the turn is the number of assistant messages sent + 1. */
function httpScript(request) {
  const turn = (request.body?.messages ?? []).filter((m) => m.role === 'assistant').length + 1
  if (turn >= TURNS) return { text: 'Done.', usage: { prompt_tokens: 1000, completion_tokens: 20 } }
  return {
    toolCalls: [{ name: 'todo_write', arguments: todoArgs(turn) }],
    usage: { prompt_tokens: 1000, completion_tokens: 20 },
  }
}

/**
 * One 50-turn run; milliseconds per turn (Penguin's own time with the instant model, wall time over
 * HTTP). With `on`, a fresh telemetry pipeline is made first, outside the timing, as a `penguin run
 * --trace` process makes one: its spans in memory are this run's only.
 */
async function oneRun(workspace, model, on, counts) {
  const telemetry = on ? await createTelemetry({ memorySpans: true, otlp: false, env: {} }) : undefined
  const clock = { modelNs: 0n }
  const engine = new Engine({
    model,
    workspace,
    ...(model === INSTANT ? { stream: instantModel(clock) } : {}),
    systemPrompt: 'You are a benchmark.',
    maxIterations: TURNS + 1,
  })
  const stop = telemetry ? instrumentEngine(engine, telemetry) : undefined
  const started = process.hrtime.bigint()
  const result = await engine.run('go', { onEvent: () => {} })
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6
  stop?.()
  if (telemetry) {
    if (counts) counts.spans = telemetry.finishedSpans().length
    await telemetry.shutdown()
  }
  if (result.status !== 'completed' || result.iterations !== TURNS)
    throw new Error(`telemetry bench run ended ${result.status} after ${result.iterations} turns`)
  return (totalMs - Number(clock.modelNs) / 1e6) / TURNS
}

/** off, off again (A/A) and on, interleaved in rotating order after a warm-up; medians per turn. */
async function compare(workspace, model, runs, counts) {
  for (let i = 0; i < 3; i++) {
    await oneRun(workspace, model, false)
    await oneRun(workspace, model, true)
  }
  const samples = { off: [], off2: [], on: [] }
  const orders = [
    ['off', 'off2', 'on'],
    ['on', 'off', 'off2'],
    ['off2', 'on', 'off'],
  ]
  for (let i = 0; i < runs; i++) {
    for (const which of orders[i % 3])
      samples[which].push(await oneRun(workspace, model, which === 'on', counts))
  }
  const off = median(samples.off)
  const on = median(samples.on)
  return {
    runs,
    offMs: off,
    onMs: on,
    deltaMs: on - off,
    deltaPct: ((on - off) / off) * 100,
    noisePct: ((median(samples.off2) - off) / off) * 100,
  }
}

export async function telemetryFigures() {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-telemetry-bench-'))
  const server = await startMockServer({ script: httpScript })
  try {
    const workspace = await openWorkspace(dir)
    const counts = { spans: 0 }
    const instant = await compare(workspace, INSTANT, INSTANT_RUNS, counts)
    const http = resolveModel('openai/gpt-4o', { baseUrl: server.url, env: { OPENAI_API_KEY: 'sk-bench' } })
    const overHttp = await compare(workspace, http, HTTP_RUNS)
    return { turns: TURNS, instant, http: overHttp, spansPerRun: counts.spans }
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const us = (ms) => `${(ms * 1000).toFixed(1)} µs`
const msText = (ms) => `${ms.toFixed(3)} ms`
const pct = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`

/** Rows for the one table of `pnpm bench` (and this script's own). */
export function telemetryRows(f) {
  // Telemetry's cost is CPU work per event, the same whatever the model: measured precisely against
  // the instant model, then set against the fastest real turn (loopback HTTP), whose own A/B delta
  // is within the noise of a shared machine.
  const share = (f.instant.deltaMs / f.http.offMs) * 100
  return [
    {
      area: 'telemetry',
      figure: `instant model, ${f.turns} turns: Penguin's own time per turn, off (nothing attached) | A/A noise`,
      value: `${us(f.instant.offMs)} | ${pct(f.instant.noisePct)}`,
    },
    {
      area: 'telemetry',
      figure: `instant model: on (${f.spansPerRun} spans a run in memory, metrics), per turn`,
      value: `${us(f.instant.onMs)} (+${us(f.instant.deltaMs)}: ${pct(f.instant.deltaPct)} of the bare loop)`,
    },
    {
      area: 'telemetry',
      figure: `mock model over HTTP, ${f.turns} turns: wall time per turn, off | on | A/A noise`,
      value: `${msText(f.http.offMs)} | ${msText(f.http.onMs)} (${pct(f.http.deltaPct)}) | ${pct(f.http.noisePct)}`,
    },
    {
      area: 'telemetry',
      figure: "on: telemetry's time per turn (instant model) against a mock-over-HTTP turn",
      value: `${us(f.instant.deltaMs)} of ${msText(f.http.offMs)}: ${pct(share)}`,
      target: '< 5%',
      ok: share < 5,
    },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = telemetryRows(await telemetryFigures())
  printTable('Telemetry overhead (medians, off and on interleaved)', [
    ['area', 'figure', 'value', 'target', ''],
    ...rows.map((r) => [
      r.area,
      r.figure,
      r.value,
      r.target ?? '',
      r.ok === undefined ? '' : r.ok ? 'ok' : 'MISS',
    ]),
  ])
}
