import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine, type ModelStreamFn } from '@penguin-ai/engine'
import {
  type AssistantMessage,
  assistantMessage,
  makeUsage,
  type ResolvedModel,
  type StreamEvent,
} from '@penguin-ai/llm'
import { openWorkspace } from '@penguin-ai/tools'

/** The tool every turn calls: `todo_write` (no I/O: the loop's own cost) or `read_file` (a small file). */
export type OverheadTool = 'todo_write' | 'read_file'

export interface EngineOverhead {
  tool: OverheadTool
  turns: number
  runs: number
  /** Median over runs of Penguin's own time per turn: wall time minus time inside the model stream. */
  perTurnMs: number
  /** The best run, for a noise-free floor. */
  bestPerTurnMs: number
  /** Median time spent inside the (instant) model stream per turn: what was subtracted. */
  modelPerTurnMs: number
}

const MODEL: ResolvedModel = {
  id: 'bench/instant',
  provider: 'bench',
  model: 'instant',
  api: 'bench-instant',
  baseUrl: 'http://instant.invalid',
  info: { contextWindow: 200_000, maxOutputTokens: 8192, inputPrice: 0, outputPrice: 0 },
}

/**
 * A model that answers at once: every turn but the last calls `tool`, the last answers in text.
 * With `todo_write` (no I/O) the figure is the loop's own cost: request assembly, context fitting,
 * argument validation, permission checks, events. The time spent inside the stream is measured and
 * subtracted.
 */
function instantModel(turns: number, tool: OverheadTool, clock: { modelNs: bigint }): ModelStreamFn {
  let turn = 0
  return () => {
    turn++
    const last = turn >= turns
    const args = JSON.stringify(
      tool === 'read_file'
        ? { path: NOTES }
        : { todos: [{ content: `step ${turn}`, status: 'in_progress' }] },
    )
    const call = { id: `call_${turn}`, name: tool, arguments: args }
    const message: AssistantMessage = last ? assistantMessage('Done.') : assistantMessage('', [call])
    const events: StreamEvent[] = last
      ? [{ type: 'text_delta', delta: 'Done.' }]
      : [
          { type: 'tool_call_start', index: 0, id: `call_${turn}`, name: tool },
          { type: 'tool_call_delta', index: 0, delta: args },
          { type: 'tool_call_end', index: 0, toolCall: call },
        ]
    const usage = makeUsage({ input: 1000, output: 20 })
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

const NOTES = 'notes.txt'

async function oneRun(
  dir: string,
  turns: number,
  tool: OverheadTool,
): Promise<{ totalMs: number; modelMs: number }> {
  const clock = { modelNs: 0n }
  const engine = new Engine({
    model: MODEL,
    workspace: await openWorkspace(dir),
    stream: instantModel(turns, tool, clock),
    systemPrompt: 'You are a benchmark.',
    maxIterations: turns + 1,
  })
  let events = 0
  const started = process.hrtime.bigint()
  const result = await engine.run('go', { onEvent: () => void events++ })
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 'completed' || result.iterations !== turns) {
    throw new Error(`engine overhead run ended ${result.status} after ${result.iterations} turns`)
  }
  return { totalMs, modelMs: Number(clock.modelNs) / 1e6 }
}

/** Penguin's time per turn against an instant in-process model (target: under 2 ms). */
export async function measureEngineOverhead(
  options: { turns?: number; runs?: number; tool?: OverheadTool } = {},
): Promise<EngineOverhead> {
  const turns = options.turns ?? 50
  const runs = options.runs ?? 7
  const tool = options.tool ?? 'todo_write'
  const dir = await mkdtemp(join(tmpdir(), 'penguin-overhead-'))
  try {
    await writeFile(join(dir, NOTES), 'a small file\n'.repeat(40))
    await oneRun(dir, turns, tool) // warm-up: module loading and JIT
    const perTurn: number[] = []
    const model: number[] = []
    for (let i = 0; i < runs; i++) {
      const { totalMs, modelMs } = await oneRun(dir, turns, tool)
      perTurn.push((totalMs - modelMs) / turns)
      model.push(modelMs / turns)
    }
    return {
      tool,
      turns,
      runs,
      perTurnMs: median(perTurn),
      bestPerTurnMs: Math.min(...perTurn),
      modelPerTurnMs: median(model),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
