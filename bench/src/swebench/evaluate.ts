import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { childEnvironment } from '@penguin-ai/tools'
import { messageOf } from '../errors.js'
import { type CandidateSandbox, candidateSandbox } from '../exec/sandbox.js'
import { checkout } from './checkout.js'
import { applyPatch } from './git.js'
import type { SweInstance } from './instances.js'

export interface TestOutcomes {
  passed: string[]
  failed: string[]
}

export interface Evaluation {
  /** `not_evaluated`: the instance has no test_cmd; the official evaluator must judge it. */
  status: 'resolved' | 'unresolved' | 'not_evaluated'
  detail: string
  failToPass: TestOutcomes
  passToPass: TestOutcomes
  durationMs: number
}

export interface EvaluateOptions {
  /** Per test command. */
  timeoutMs: number
  signal?: AbortSignal
  /** Where test commands run; default `candidateSandbox()` (read-only, no network). */
  sandbox?: CandidateSandbox
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`

/**
 * The local evaluator: a fresh checkout at the base commit, the prediction's patch, then the hidden
 * tests (`test_patch`), then `test_cmd` for every FAIL_TO_PASS and PASS_TO_PASS test. Resolved means
 * every one of them passes.
 */
export async function evaluatePrediction(
  instance: SweInstance,
  patch: string,
  mirror: string,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const started = Date.now()
  const none: TestOutcomes = { passed: [], failed: [] }
  const verdict = (status: Evaluation['status'], detail: string, f2p = none, p2p = none): Evaluation => ({
    status,
    detail,
    failToPass: f2p,
    passToPass: p2p,
    durationMs: Date.now() - started,
  })
  if (!instance.test_cmd) return verdict('not_evaluated', 'no test_cmd: use the official evaluator')
  if (!patch.trim()) return verdict('unresolved', 'empty patch')
  const dir = await mkdtemp(join(tmpdir(), 'penguin-swe-eval-'))
  try {
    try {
      await checkout(mirror, instance.base_commit, join(dir, 'repo'))
    } catch (error) {
      return verdict('unresolved', `checkout failed: ${messageOf(error)}`)
    }
    const repo = join(dir, 'repo')
    const applied = await applyPatch(repo, patch)
    if (!applied.ok) return verdict('unresolved', `patch does not apply: ${applied.message}`)
    if (instance.test_patch.trim()) {
      const tests = await applyPatch(repo, instance.test_patch)
      if (!tests.ok) return verdict('unresolved', `test patch does not apply: ${tests.message}`)
    }
    const command = instance.test_cmd
    const listed = instance.FAIL_TO_PASS.length + instance.PASS_TO_PASS.length
    if (!command.includes('{test}') || listed === 0) {
      // One run of the whole suite decides for every listed test.
      const whole = await shell(command.replaceAll('{test}', ''), repo, options)
      const split = (tests: string[]): TestOutcomes =>
        whole.ok ? { passed: tests, failed: [] } : { passed: [], failed: tests }
      return verdict(
        whole.ok ? 'resolved' : 'unresolved',
        whole.detail,
        split(instance.FAIL_TO_PASS),
        split(instance.PASS_TO_PASS),
      )
    }
    const run = (test: string) => shell(command.replaceAll('{test}', quote(test)), repo, options)
    const f2p = await runEach(instance.FAIL_TO_PASS, run)
    const p2p = await runEach(instance.PASS_TO_PASS, run)
    const failed = [...f2p.failed, ...p2p.failed]
    const resolved = failed.length === 0
    const detail = resolved
      ? ''
      : `failing: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}`
    return verdict(resolved ? 'resolved' : 'unresolved', detail, f2p, p2p)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function runEach(
  tests: readonly string[],
  run: (test: string) => Promise<{ ok: boolean }>,
): Promise<TestOutcomes> {
  const outcomes: TestOutcomes = { passed: [], failed: [] }
  for (const test of tests) (await run(test)).ok ? outcomes.passed.push(test) : outcomes.failed.push(test)
  return outcomes
}

async function shell(
  command: string,
  repo: string,
  options: EvaluateOptions,
): Promise<{ ok: boolean; detail: string }> {
  const sandbox = options.sandbox ?? (await candidateSandbox())
  const outcome = await sandbox.run(['sh', '-c', command], {
    cwd: repo,
    env: { ...childEnvironment(), PYTHONDONTWRITEBYTECODE: '1', CI: '1' },
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  })
  if (outcome.timedOut) return { ok: false, detail: `timed out after ${options.timeoutMs} ms` }
  const ok = outcome.exitCode === 0
  const tail = `${outcome.stdout}\n${outcome.stderr}`.trim().split('\n').slice(-3).join(' ')
  return { ok, detail: ok ? '' : tail.slice(0, 300) }
}
