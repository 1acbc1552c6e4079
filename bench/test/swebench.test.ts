import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  evaluatePrediction,
  findMirror,
  loadInstances,
  type MadeSuite,
  makeSuite,
  PredictionSchema,
  runSweBench,
  SUITE_CASES,
  type SweInstance,
} from '../src/index.js'
import { hasToolResult, mockModel, SWE_LITE_PATH, tempDir, userText } from './helpers.js'

let suite: MadeSuite
let instances: SweInstance[]
let server: MockServer | undefined

beforeAll(async () => {
  suite = await makeSuite(join(await tempDir('penguin-suite-'), 'suite'))
  instances = await loadInstances(suite.instancesPath)
})

afterEach(async () => {
  await server?.close()
  server = undefined
})

describe("Penguin's own SWE-style suite", () => {
  test('has at least 6 instances in JavaScript and Python, each a git repo at its base commit', async () => {
    expect(instances.length).toBeGreaterThanOrEqual(6)
    const languages = new Set(SUITE_CASES.map((c) => c.language))
    expect(languages).toEqual(new Set(['javascript', 'python']))
    for (const instance of instances) {
      const mirror = await findMirror(suite.reposDir, instance.repo)
      expect(mirror).toBe(join(suite.reposDir, instance.repo.replace('/', '__')))
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: mirror, encoding: 'utf8' }).trim()
      expect(head).toBe(instance.base_commit)
      expect(instance.FAIL_TO_PASS.length).toBeGreaterThan(0)
      expect(instance.PASS_TO_PASS.length).toBeGreaterThan(0)
      expect(instance.patch).toMatch(/^diff --git/)
      expect(instance.test_patch).toMatch(/^diff --git/)
    }
  })

  test('generation is deterministic: same base commits on every run', async () => {
    const again = await loadInstances(
      (await makeSuite(join(await tempDir('penguin-suite-'), 'suite'))).instancesPath,
    )
    expect(again.map((i) => i.base_commit)).toEqual(instances.map((i) => i.base_commit))
  })

  test('every bug is real: with the code unchanged the hidden tests fail and the visible ones pass', async () => {
    const untouched =
      'diff --git a/NOTES.md b/NOTES.md\nnew file mode 100644\n--- /dev/null\n+++ b/NOTES.md\n@@ -0,0 +1 @@\n+notes\n'
    for (const instance of instances) {
      const mirror = (await findMirror(suite.reposDir, instance.repo))!
      const verdict = await evaluatePrediction(instance, untouched, mirror, { timeoutMs: 30_000 })
      expect(verdict, instance.instance_id).toMatchObject({
        status: 'unresolved',
        failToPass: { passed: [], failed: instance.FAIL_TO_PASS },
        passToPass: { passed: instance.PASS_TO_PASS, failed: [] },
      })
    }
  })

  test('the known fixes (--gold) resolve every instance', async () => {
    const run = await runSweBench({
      instancesPath: suite.instancesPath,
      reposDir: suite.reposDir,
      gold: true,
      concurrency: 3,
      outDir: await tempDir(),
    })
    expect(
      run.scores.records.filter((r) => r.status !== 'resolved').map((r) => `${r.instance_id}: ${r.detail}`),
    ).toEqual([])
    expect(run.summary.resolved).toBe(instances.length)
  })
})

describe('SWE-bench format runs through the Penguin engine against the mock model', () => {
  test('an oracle agent that applies the known fix with apply_patch resolves every instance', async () => {
    server = await startMockServer({
      script: (request) => {
        if (hasToolResult(request)) return { text: 'Fixed the bug.' }
        const text = userText(request)
        const instance = instances.find((i) => text.includes(i.problem_statement.trim()))
        if (!instance?.patch) throw new Error('unknown instance')
        return {
          text: 'Applying the fix.',
          toolCalls: [{ name: 'apply_patch', arguments: { patch: instance.patch } }],
        }
      },
    })
    const outDir = await tempDir()
    const run = await runSweBench({
      instancesPath: suite.instancesPath,
      reposDir: suite.reposDir,
      model: mockModel(server),
      concurrency: 3,
      outDir,
    })
    expect(
      run.scores.records.filter((r) => r.status !== 'resolved').map((r) => `${r.instance_id}: ${r.detail}`),
    ).toEqual([])
    expect(run.summary.resolved).toBe(instances.length)
    for (const record of run.scores.records) {
      expect(record.metrics).toMatchObject({ model: 'openai/gpt-4o', turns: 2 })
      expect(record.metrics.totalTokens).toBeGreaterThan(0)
      expect(record.failToPass.failed).toEqual([])
    }
    const predictions = (await readFile(join(outDir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => PredictionSchema.parse(JSON.parse(line)))
    expect(predictions.map((p) => p.instance_id).sort()).toEqual(instances.map((i) => i.instance_id).sort())
    for (const prediction of predictions) {
      expect(Object.keys(prediction).sort()).toEqual(['instance_id', 'model_name_or_path', 'model_patch'])
      expect(prediction.model_name_or_path).toBe('openai/gpt-4o')
      expect(prediction.model_patch).toMatch(/^diff --git/)
      expect(prediction.model_patch).not.toMatch(/__pycache__|\.pyc/)
    }
    expect(await readFile(run.files.report, 'utf8')).toContain('| resolved |')
  })

  test('a do-nothing agent resolves none', async () => {
    server = await startMockServer({ script: () => ({ text: 'I looked around; nothing to change.' }) })
    const run = await runSweBench({
      instancesPath: suite.instancesPath,
      reposDir: suite.reposDir,
      model: mockModel(server),
      concurrency: 3,
      outDir: await tempDir(),
    })
    expect(run.summary.resolved).toBe(0)
    expect(run.summary.unresolved).toBe(instances.length)
    expect(run.scores.records.every((r) => r.detail === 'empty patch')).toBe(true)
  })

  test('a wrong fix is unresolved by the hidden tests', async () => {
    const slugify = instances.find((i) => i.repo.endsWith('/slugify'))!
    // Collapses runs of separators but does not trim them: half a fix.
    const partial = (slugify.patch ?? '').replace("\n+    .replace(/^-+|-+$/g, '')", '')
    expect(partial).not.toBe(slugify.patch)
    server = await startMockServer({
      script: (request) =>
        hasToolResult(request)
          ? { text: 'Done.' }
          : { toolCalls: [{ name: 'apply_patch', arguments: { patch: partial } }] },
    })
    const run = await runSweBench({
      instancesPath: suite.instancesPath,
      reposDir: suite.reposDir,
      ids: [slugify.instance_id],
      model: mockModel(server),
      outDir: await tempDir(),
    })
    expect(run.scores.records[0]).toMatchObject({
      status: 'unresolved',
      failToPass: { failed: slugify.FAIL_TO_PASS },
    })
  })

  test('a missing mirror is a usage error before anything runs', async () => {
    await expect(
      runSweBench({
        instancesPath: suite.instancesPath,
        reposDir: await tempDir(),
        gold: true,
        outDir: await tempDir(),
      }),
    ).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/No local mirror for penguin-bench\//),
    })
  })

  test('reads the official SWE-bench Lite file format', async () => {
    const lite = await loadInstances(SWE_LITE_PATH)
    expect(lite.length).toBe(300)
    expect(lite[0]?.FAIL_TO_PASS.length).toBeGreaterThan(0)
  })
})
