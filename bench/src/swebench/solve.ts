import { ConfigError, engineOptions, prepareAgent } from '@penguin-ai/config'
import { Engine, emptyUsage, type ModelStreamFn, type RunStatus } from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import { messageOf } from '../errors.js'
import { metricsFrom, type RunMetrics } from '../metrics.js'
import { diffSince } from './checkout.js'
import type { SweInstance } from './instances.js'

export interface AgentContext {
  model: ResolvedModel
  stream?: ModelStreamFn
  maxIterations: number
  signal: AbortSignal
  /** The agent's commands run in its sandbox (false: `--sandbox off`). */
  sandbox: boolean
}

export interface AgentOutcome {
  patch: string
  /** How the engine's run ended, or `gold` when the known fix stood in for the agent. */
  runStatus: RunStatus | 'gold'
  metrics: RunMetrics
  error?: { kind: string; message: string }
}

export function issuePrompt(instance: SweInstance): string {
  return [
    `This is a checkout of ${instance.repo}. Resolve the issue below by changing the repository's source code.`,
    'Reproduce the problem first if you can, keep the change minimal, and do not edit existing tests:',
    'hidden tests will check your change.',
    '',
    '<issue>',
    instance.problem_statement.trim(),
    '</issue>',
  ].join('\n')
}

/**
 * Runs the same engine as `penguin run` on the issue in the checked-out repository, built from config
 * the same way — the repository's own `.penguin/config.json` is untrusted, so only its deny and ask
 * rules apply — with writes and commands allowed, and returns everything it changed as a diff against
 * the base commit.
 */
export async function solveWithAgent(
  instance: SweInstance,
  dir: string,
  context: AgentContext,
): Promise<AgentOutcome> {
  const started = Date.now()
  let setup: Awaited<ReturnType<typeof prepareAgent>>
  try {
    setup = await prepareAgent({
      workspace: dir,
      model: context.model,
      ...(context.sandbox ? {} : { flags: { sandbox: { mode: 'off' } } }),
    })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const metrics = metricsFrom(context.model.id, emptyUsage(), 0, Date.now() - started, 0)
    return { patch: '', runStatus: 'failed', metrics, error: { kind: 'config', message: error.message } }
  }
  const engine = new Engine(
    engineOptions(setup, {
      autoApprove: true,
      maxIterations: context.maxIterations,
      ...(context.stream ? { stream: context.stream } : {}),
    }),
  )
  const result = await engine
    .run(issuePrompt(instance), { signal: context.signal })
    .finally(() => setup.sandbox.instance?.close())
  const metrics = metricsFrom(
    context.model.id,
    result.usage,
    result.cost,
    Date.now() - started,
    result.iterations,
  )
  let patch = ''
  try {
    patch = await diffSince(dir, instance.base_commit)
  } catch (error) {
    return { patch, runStatus: result.status, metrics, error: { kind: 'git', message: messageOf(error) } }
  }
  return { patch, runStatus: result.status, metrics, ...(result.error ? { error: result.error } : {}) }
}
