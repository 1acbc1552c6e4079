import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { engineOptions, prepareAgent } from '@penguin-ai/config'
import { Engine } from '@penguin-ai/engine'
import { metricsFrom } from '../metrics.js'
import type { Completion } from './extract.js'
import type { HumanEvalProblem } from './problems.js'
import type { Attempt, SolverContext } from './solver.js'

/** The file the agent is asked to complete; its content after the run is the candidate. */
export const SOLUTION_FILE = 'solution.py'

export function agentTask(problem: HumanEvalProblem): string {
  return [
    `${SOLUTION_FILE} contains the Python function \`${problem.entry_point}\` with its docstring but no body.`,
    `Implement it in ${SOLUTION_FILE} so that it does exactly what the docstring says. Keep its name and`,
    'signature; you may add imports and helper functions. You can run python3 to try your code.',
    `Hidden tests will import ${SOLUTION_FILE} and call \`${problem.entry_point}\`; leave the finished code there.`,
  ].join('\n')
}

/**
 * Agent mode: the very same engine as `penguin run`, built from the user's config the same way (its
 * deny rules hold), with the built-in tools and writes and commands allowed, in a scratch workspace
 * holding only the problem's stub.
 */
export async function solveByAgent(problem: HumanEvalProblem, context: SolverContext): Promise<Attempt> {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-humaneval-'))
  const started = Date.now()
  let closeSandbox: () => Promise<void> | undefined = () => undefined
  try {
    await writeFile(join(dir, SOLUTION_FILE), problem.prompt)
    const setup = await prepareAgent({
      workspace: dir,
      model: context.model,
      ...(context.sandbox ? {} : { flags: { sandbox: { mode: 'off' } } }),
    })
    closeSandbox = () => setup.sandbox.instance?.close()
    const engine = new Engine(
      engineOptions(setup, {
        autoApprove: true,
        maxIterations: context.maxIterations,
        stream: context.stream,
        ...(context.temperature === undefined ? {} : { temperature: context.temperature }),
      }),
    )
    const result = await engine.run(agentTask(problem), { signal: context.signal })
    const raw = await readFile(join(dir, SOLUTION_FILE), 'utf8').catch(() => '')
    const metrics = metricsFrom(
      context.model.id,
      result.usage,
      result.cost,
      Date.now() - started,
      result.iterations,
    )
    const completion: Completion | undefined = raw.trim() ? { kind: 'module', code: raw } : undefined
    return {
      completion,
      raw,
      metrics,
      ...(result.error ? { error: result.error } : {}),
      ...(result.status === 'aborted'
        ? { error: { kind: 'aborted', message: 'the run was interrupted' } }
        : {}),
    }
  } finally {
    await closeSandbox()
    await rm(dir, { recursive: true, force: true })
  }
}
