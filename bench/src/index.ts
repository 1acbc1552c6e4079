export { BenchError, type BenchErrorKind, isBenchError } from './errors.js'
export { type BoundedOutcome, type BoundedRunOptions, runBounded } from './exec/process.js'
export {
  type CandidateOutcome,
  type CandidateStatus,
  resolvePython,
  runPythonProgram,
  type SandboxLimits,
} from './exec/python.js'
export { type CandidateSandbox, candidateSandbox } from './exec/sandbox.js'
export { agentTask, SOLUTION_FILE } from './humaneval/agent.js'
export { COMPLETION_SYSTEM_PROMPT, completionMessages } from './humaneval/completion.js'
export { HUMANEVAL_URL, locateHumanEval } from './humaneval/dataset.js'
export { type Completion, extractCompletion, indentBody } from './humaneval/extract.js'
export {
  type HumanEvalDataset,
  type HumanEvalProblem,
  HumanEvalProblemSchema,
  loadHumanEval,
} from './humaneval/problems.js'
export { buildProgram } from './humaneval/program.js'
export type { HumanEvalSummary } from './humaneval/report.js'
export {
  type HumanEvalScores,
  type SampleRecord,
  SampleRecordSchema,
  scoreHumanEval,
} from './humaneval/results.js'
export { type HumanEvalOptions, type HumanEvalRun, runHumanEval } from './humaneval/run.js'
export type { HumanEvalMode } from './humaneval/solver.js'
export { type RunMetrics, RunMetricsSchema } from './metrics.js'
export { meanPassAtK, passAtK } from './passk.js'
export { benchCacheDir, penguinDataDir } from './paths.js'
export { type EngineOverhead, measureEngineOverhead, type OverheadTool } from './perf/engine-overhead.js'
export { measurePromptSize, type PromptSize } from './perf/prompt-size.js'
export { runPool } from './pool.js'
export { createReporter, type ItemEvent, type Output, type Reporter, silentReporter } from './progress.js'
export { type ChartPoint, costScoreChart } from './report/svg.js'
export { instanceId, type MadeSuite, makeSuite, SUITE_CASES } from './suite/make-suite.js'
export type { SuiteCase } from './suite/types.js'
export { findMirror, mirrorCandidates } from './swebench/checkout.js'
export { type Evaluation, evaluatePrediction } from './swebench/evaluate.js'
export { loadInstances, type SweInstance, SweInstanceSchema } from './swebench/instances.js'
export type { SweSummary } from './swebench/report.js'
export { type InstanceRecord, type Prediction, PredictionSchema, type SweScores } from './swebench/results.js'
export { runSweBench, type SweBenchOptions, type SweBenchRun } from './swebench/run.js'
export { issuePrompt } from './swebench/solve.js'
