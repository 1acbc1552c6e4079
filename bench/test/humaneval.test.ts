import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  type HumanEvalProblem,
  loadHumanEval,
  runHumanEval,
  SampleRecordSchema,
  SOLUTION_FILE,
} from '../src/index.js'
import { hasToolResult, mockModel, requireHumanEval, tempDir, userText } from './helpers.js'

let problems: HumanEvalProblem[] = []
let server: MockServer | undefined

beforeAll(async () => {
  problems = (await loadHumanEval(requireHumanEval())).problems
})

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The problem a completion-mode request is about: its prompt is quoted in the user message. */
function problemOf(text: string): HumanEvalProblem {
  const found = problems.find((p) => text.includes(p.prompt))
  if (!found) throw new Error(`no HumanEval prompt in request: ${text.slice(0, 120)}`)
  return found
}

/** A mock model answering each problem with `answer(problem)`, over real HTTP. */
async function mockAnswering(
  answer: (problem: HumanEvalProblem, index: number) => string,
): Promise<MockServer> {
  server = await startMockServer({
    script: (request, index) => ({ text: answer(problemOf(userText(request)), index) }),
  })
  return server
}

// Room for a slow Python start on a busy machine; only a candidate that never ends meets the timeout.
const base = { dataPath: '', limit: 20, concurrency: 4, timeoutMs: 20_000, memoryMb: 512 }

describe('HumanEval, completion mode, against the mock model over HTTP', () => {
  test('an oracle returning the canonical solutions scores pass@1 = 1.0 over the first 20 problems', async () => {
    // Replies alternate between a bare body and a fenced whole function, as real models do.
    const mock = await mockAnswering((p, i) =>
      i % 2 === 0
        ? p.canonical_solution
        : `Sure:\n\n\`\`\`python\n${p.prompt}${p.canonical_solution}\`\`\`\n`,
    )
    const outDir = await tempDir()
    const run = await runHumanEval({ ...base, dataPath: requireHumanEval(), model: mockModel(mock), outDir })
    expect(run.scores.perProblem.filter((p) => p.c !== 1).map((p) => `${p.taskId}: ${p.detail}`)).toEqual([])
    expect(run.summary.passAtK['pass@1']).toBe(1)
    expect(run.summary.problems).toBe(20)
    expect(run.summary.passed).toBe(20)
    expect(mock.requests).toHaveLength(20)
    // Every sample records model, tokens, cost, wall time and turns.
    const lines = (await readFile(join(outDir, 'results.jsonl'), 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(20)
    const record = SampleRecordSchema.parse(JSON.parse(lines[0]!))
    expect(record.metrics).toMatchObject({ model: 'openai/gpt-4o', turns: 1 })
    expect(record.metrics.totalTokens).toBeGreaterThan(0)
    expect(record.metrics.costUsd).toBeGreaterThan(0)
    const report = await readFile(run.files.report, 'utf8')
    expect(report).toContain('| pass@1 | 1.000 |')
    expect(report).toContain('HumanEval/19')
    expect(await readFile(run.files.chart, 'utf8')).toMatch(/^<svg[\s\S]*<circle/)
  })

  test('a model returning a wrong body scores 0.0', async () => {
    const mock = await mockAnswering(() => '    return None\n')
    const run = await runHumanEval({
      ...base,
      dataPath: requireHumanEval(),
      model: mockModel(mock),
      outDir: await tempDir(),
    })
    expect(run.summary.passAtK['pass@1']).toBe(0)
    expect(run.summary.failed + run.summary.timeouts).toBe(20)
  })

  test('candidates that loop forever or allocate without bound are killed and failed without stalling', async () => {
    const bad = [
      '    while True:\n        pass\n',
      '    x = []\n    while True:\n        x.append(bytearray(10**7))\n',
    ]
    const mock = await mockAnswering((p) => {
      const index = problems.indexOf(p)
      return index < 2 ? (bad[index] as string) : p.canonical_solution
    })
    // The endless loop burns CPU until the timeout, so it is short here — yet long enough for the
    // canonical solutions to finish on a busy machine.
    const run = await runHumanEval({
      ...base,
      limit: 4,
      timeoutMs: 4000,
      memoryMb: 256,
      dataPath: requireHumanEval(),
      model: mockModel(mock),
      outDir: await tempDir(),
    })
    const byTask = new Map(run.scores.perProblem.map((p) => [p.taskId, p]))
    expect(byTask.get('HumanEval/0')).toMatchObject({ c: 0, n: 1 })
    expect(byTask.get('HumanEval/0')?.detail).toMatch(/timed out/)
    expect(byTask.get('HumanEval/1')).toMatchObject({ c: 0, n: 1 })
    expect(byTask.get('HumanEval/2')).toMatchObject({ c: 1 })
    expect(byTask.get('HumanEval/3')).toMatchObject({ c: 1 })
    expect(run.summary.passAtK['pass@1']).toBe(0.5)
  })

  test('several samples give pass@k; --resume runs only what is missing', async () => {
    // Sample answers alternate right / wrong per problem.
    const seen = new Map<string, number>()
    const mock = await mockAnswering((p) => {
      const n = seen.get(p.task_id) ?? 0
      seen.set(p.task_id, n + 1)
      return n % 2 === 0 ? p.canonical_solution : '    return None\n'
    })
    const outDir = await tempDir()
    const options = {
      ...base,
      limit: 3,
      samples: 2,
      concurrency: 1,
      dataPath: requireHumanEval(),
      model: mockModel(mock),
      outDir,
    }
    const first = await runHumanEval(options)
    expect(first.summary.passAtK['pass@1']).toBe(0.5)
    expect(first.summary.samples).toBe(6)
    await expect(runHumanEval(options)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/--resume/),
    })
    const resumed = await runHumanEval({ ...options, limit: 4, resume: true })
    expect(mock.requests).toHaveLength(8) // 6 + the 2 samples of the new problem
    expect(resumed.summary.problems).toBe(4)
    expect(resumed.summary.samples).toBe(8)
    await expect(runHumanEval({ ...options, resume: true, mode: 'agent' })).rejects.toMatchObject({
      kind: 'usage',
    })
  })

  test('a rejected API key stops the run with a model error', async () => {
    server = await startMockServer({ script: (): MockTurn => ({ fault: { status: 401 } }) })
    await expect(
      runHumanEval({
        ...base,
        limit: 3,
        dataPath: requireHumanEval(),
        model: mockModel(server),
        outDir: await tempDir(),
      }),
    ).rejects.toMatchObject({ kind: 'model' })
  })
})

describe('HumanEval, agent mode: the Penguin engine with tools in a scratch workspace', () => {
  test('an agent that writes the canonical solution to solution.py passes', async () => {
    server = await startMockServer({
      script: (request) => {
        if (hasToolResult(request)) return { text: 'Implemented and checked.' }
        const text = userText(request)
        const problem = problems.find((p) => text.includes(`\`${p.entry_point}\``))
        if (!problem) throw new Error('unknown problem')
        return {
          text: 'Writing the solution.',
          toolCalls: [
            {
              name: 'write_file',
              arguments: { path: SOLUTION_FILE, content: problem.prompt + problem.canonical_solution },
            },
          ],
        }
      },
    })
    const run = await runHumanEval({
      ...base,
      limit: 5,
      mode: 'agent',
      dataPath: requireHumanEval(),
      model: mockModel(server),
      outDir: await tempDir(),
    })
    expect(run.scores.perProblem.filter((p) => p.c !== 1).map((p) => `${p.taskId}: ${p.detail}`)).toEqual([])
    expect(run.summary.passAtK['pass@1']).toBe(1)
    expect(run.summary.totals.turns).toBe(10) // two model calls per problem
  })
})
