import type { ModelStreamFn } from '@penguin-ai/engine'
import { emptyUsage, type ResolvedModel, type Usage } from '@penguin-ai/llm'
import { messageOf } from '../errors.js'
import { candidateSandbox } from '../exec/sandbox.js'
import { metricsFrom } from '../metrics.js'
import { checkout } from './checkout.js'
import { evaluatePrediction } from './evaluate.js'
import type { SweInstance } from './instances.js'
import type { InstanceRecord } from './results.js'
import { type AgentOutcome, solveWithAgent } from './solve.js'

/** What handling one instance needs from the run's settings. */
export interface InstanceSettings {
  /** Required unless `gold`. */
  model?: ResolvedModel
  gold: boolean
  evaluate: boolean
  maxIterations: number
  testTimeoutMs: number
  stream?: ModelStreamFn
  signal: AbortSignal
  /** `--sandbox off`: the evaluator's test commands and the agent's commands run unsandboxed. */
  sandboxOff: boolean
}

const NO_USAGE: Usage = emptyUsage()

/** The instance's patch: the gold fix, or what the agent changed in a fresh checkout at `dir`. */
export async function produce(
  instance: SweInstance,
  mirror: string,
  dir: string,
  settings: InstanceSettings,
): Promise<AgentOutcome> {
  if (settings.gold) {
    const metrics = metricsFrom('gold', NO_USAGE, 0, 0, 0)
    if (!instance.patch) {
      const error = { kind: 'data', message: 'the instance has no gold patch' }
      return { patch: '', runStatus: 'gold', metrics, error }
    }
    return { patch: instance.patch, runStatus: 'gold', metrics }
  }
  const model = settings.model as ResolvedModel
  try {
    await checkout(mirror, instance.base_commit, dir)
  } catch (error) {
    const metrics = metricsFrom(model.id, NO_USAGE, 0, 0, 0)
    return { patch: '', runStatus: 'failed', metrics, error: { kind: 'checkout', message: messageOf(error) } }
  }
  return solveWithAgent(instance, dir, {
    model,
    maxIterations: settings.maxIterations,
    signal: settings.signal,
    sandbox: !settings.sandboxOff,
    ...(settings.stream ? { stream: settings.stream } : {}),
  })
}

/** The instance's result line: the local evaluator's verdict on the patch, with the run's metrics. */
export async function judge(
  instance: SweInstance,
  mirror: string,
  outcome: AgentOutcome,
  settings: InstanceSettings,
): Promise<InstanceRecord> {
  const base = {
    instance_id: instance.instance_id,
    runStatus: outcome.runStatus,
    patchLines: outcome.patch ? outcome.patch.split('\n').length - 1 : 0,
    failToPass: { passed: [], failed: [] },
    passToPass: { passed: [], failed: [] },
    evalMs: 0,
    metrics: outcome.metrics,
  }
  // A failed model call with nothing to show is retried by --resume; a partial patch is judged.
  if (outcome.error && !outcome.patch) {
    return { ...base, status: 'error', detail: `${outcome.error.kind}: ${outcome.error.message}` }
  }
  if (!settings.evaluate)
    return { ...base, status: 'not_evaluated', detail: 'evaluation skipped (--no-eval)' }
  const verdict = await evaluatePrediction(instance, outcome.patch, mirror, {
    timeoutMs: settings.testTimeoutMs,
    signal: settings.signal,
    sandbox: await candidateSandbox({ off: settings.sandboxOff }),
  })
  return {
    ...base,
    status: verdict.status,
    detail: verdict.detail,
    failToPass: verdict.failToPass,
    passToPass: verdict.passToPass,
    evalMs: verdict.durationMs,
  }
}
