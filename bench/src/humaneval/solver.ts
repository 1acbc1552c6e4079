import type { ModelStreamFn } from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import type { RunMetrics } from '../metrics.js'
import type { Completion } from './extract.js'
import type { HumanEvalProblem } from './problems.js'

export type HumanEvalMode = 'completion' | 'agent'

export interface SolverContext {
  model: ResolvedModel
  /** How model streams are obtained: `streamChat` unless a test injects one. */
  stream: ModelStreamFn
  temperature?: number
  /** Agent mode: model calls per sample. */
  maxIterations: number
  signal: AbortSignal
  /** Agent mode: the agent's commands run in the OS sandbox (`penguin bench --sandbox off`: false). */
  sandbox: boolean
}

/** What one sample produced before it is executed. */
export interface Attempt {
  /** Undefined when the model produced nothing usable (an error before any answer). */
  completion: Completion | undefined
  /** The model's reply (completion mode) or the solution file (agent mode), as recorded. */
  raw: string
  metrics: RunMetrics
  error?: { kind: string; message: string }
}

export type Solver = (problem: HumanEvalProblem, context: SolverContext) => Promise<Attempt>

/** Model errors that will fail every further call too: the run stops instead of recording them. */
export const FATAL_MODEL_ERRORS = new Set(['auth', 'model_not_found'])
