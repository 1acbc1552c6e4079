import { join, resolve } from 'node:path'
import type { ModelStreamFn } from '@penguin-ai/engine'
import { type ResolvedModel, streamChat } from '@penguin-ai/llm'
import { BenchError } from '../errors.js'
import { resolvePython, runPythonProgram, type SandboxLimits } from '../exec/python.js'
import { candidateSandbox } from '../exec/sandbox.js'
import { JsonlWriter, readRecords } from '../jsonl.js'
import { slug } from '../paths.js'
import { runPool } from '../pool.js'
import { type Reporter, silentReporter } from '../progress.js'
import { type ReportFiles, writeReportFiles } from '../report/runs.js'
import { openRunDir } from '../run-dir.js'
import { solveByAgent } from './agent.js'
import { solveByCompletion } from './completion.js'
import { locateHumanEval } from './dataset.js'
import { loadHumanEval } from './problems.js'
import { buildProgram } from './program.js'
import { type HumanEvalSummary, humanEvalMarkdown, summaryTable } from './report.js'
import {
  type HumanEvalScores,
  type SampleRecord,
  SampleRecordSchema,
  sampleKey,
  scoreHumanEval,
} from './results.js'
import { FATAL_MODEL_ERRORS, type HumanEvalMode, type Solver, type SolverContext } from './solver.js'

export interface HumanEvalOptions {
  model: ResolvedModel
  /** Default `completion`. */
  mode?: HumanEvalMode
  /** HumanEval.jsonl(.gz); downloaded to Penguin's data directory when absent. */
  dataPath?: string
  /** Only the first N problems. */
  limit?: number
  /** Samples per problem (n in pass@k). Default 1. */
  samples?: number
  /** Samples in flight at once. Default 4. */
  concurrency?: number
  /** Default `penguin-bench/humaneval/<mode>-<model>` under the current directory. */
  outDir?: string
  /** Continue the run in outDir, skipping samples it already judged. */
  resume?: boolean
  /** Per candidate. Default 10 s. */
  timeoutMs?: number
  /** Per candidate. Default 1024 MiB. */
  memoryMb?: number
  /** Agent mode: model calls per sample. Default 20. */
  maxIterations?: number
  /** Sent only when given. */
  temperature?: number
  /** Python interpreter. Default `python3`. */
  python?: string
  /**
   * Candidates (and the agent's commands) run in the OS sandbox: read-only and without network for
   * candidates. Default true; false runs them with the user's full rights.
   */
  sandbox?: boolean
  reporter?: Reporter
  signal?: AbortSignal
  /** How model streams are obtained. Default `streamChat`. */
  stream?: ModelStreamFn
  env?: NodeJS.ProcessEnv
  fetch?: typeof fetch
}

export interface HumanEvalRun {
  summary: HumanEvalSummary
  scores: HumanEvalScores
  files: ReportFiles
  outDir: string
  /** The run was interrupted; what finished is saved and `--resume` continues it. */
  aborted: boolean
}

const SOLVERS: Record<HumanEvalMode, Solver> = { completion: solveByCompletion, agent: solveByAgent }

export async function runHumanEval(options: HumanEvalOptions): Promise<HumanEvalRun> {
  const mode = options.mode ?? 'completion'
  const samples = checkCount('samples', options.samples ?? 1)
  const concurrency = checkCount('concurrency', options.concurrency ?? 4)
  const limits: SandboxLimits = {
    timeoutMs: checkCount('timeout', options.timeoutMs ?? 10_000),
    memoryMb: options.memoryMb ?? 1024,
  }
  const reporter = options.reporter ?? silentReporter
  const signal = options.signal ?? new AbortController().signal
  const started = Date.now()

  const dataPath = await locateHumanEval({
    ...(options.dataPath ? { dataPath: options.dataPath } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onDownload: (url, to) => reporter.note(`Downloading HumanEval from ${url} to ${to}`),
  })
  const dataset = await loadHumanEval(dataPath)
  const problems = options.limit
    ? dataset.problems.slice(0, checkCount('limit', options.limit))
    : dataset.problems
  const python = await resolvePython(options.python)
  const isolation = await candidateSandbox({ off: options.sandbox === false })
  const network = isolation.description

  const outDir = resolve(
    options.outDir ?? join('penguin-bench', 'humaneval', `${mode}-${slug(options.model.id)}`),
  )
  const runDir = await openRunDir(outDir, options.resume ?? false, {
    benchmark: 'humaneval',
    model: options.model.id,
    mode,
    samples,
    dataset: dataset.sha256,
  })
  const previous = await readRecords(runDir.results, SampleRecordSchema)
  const judged = new Set(
    previous.filter((r) => r.status !== 'error').map((r) => sampleKey(r.task_id, r.sample)),
  )
  const jobs = problems.flatMap((problem) =>
    Array.from({ length: samples }, (_, sample) => ({ problem, sample })).filter(
      (job) => !judged.has(sampleKey(problem.task_id, job.sample)),
    ),
  )

  reporter.start({
    benchmark: 'humaneval',
    model: options.model.id,
    total: jobs.length,
    skipped: problems.length * samples - jobs.length,
    outDir,
  })
  const writer = new JsonlWriter(runDir.results)
  const fresh: SampleRecord[] = []
  const context: SolverContext = {
    model: options.model,
    stream: options.stream ?? streamChat,
    maxIterations: options.maxIterations ?? 20,
    signal,
    sandbox: options.sandbox !== false,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  }
  const solve = SOLVERS[mode]

  await runPool(
    jobs,
    concurrency,
    async ({ problem, sample }) => {
      const attempt = await solve(problem, context)
      if (signal.aborted) return
      if (attempt.error && FATAL_MODEL_ERRORS.has(attempt.error.kind)) {
        throw new BenchError('model', `The model cannot be used: ${attempt.error.message}`)
      }
      let status: SampleRecord['status'] = 'error'
      let detail = attempt.error
        ? `model error (${attempt.error.kind}): ${attempt.error.message}`
        : 'no answer'
      let execMs = 0
      if (attempt.completion && !attempt.error) {
        const outcome = await runPythonProgram(
          buildProgram(problem, attempt.completion),
          python,
          limits,
          signal,
          isolation,
        )
        if (signal.aborted) return
        status = outcome.status
        detail = outcome.detail
        execMs = outcome.durationMs
      }
      const record: SampleRecord = {
        task_id: problem.task_id,
        sample,
        status,
        detail,
        completion: attempt.raw,
        execMs,
        metrics: attempt.metrics,
      }
      fresh.push(record)
      await writer.append(record)
      const id = samples > 1 ? `${problem.task_id}#${sample}` : problem.task_id
      reporter.item({ id, ok: status === 'passed', status, costUsd: record.metrics.costUsd, record })
    },
    signal,
  ).finally(() => writer.flush())

  const scores = scoreHumanEval([...previous, ...fresh], samples)
  const summary: HumanEvalSummary = {
    benchmark: 'humaneval',
    label: `${options.model.id} (${mode})`,
    model: options.model.id,
    mode,
    samplesPerProblem: samples,
    score: scores.passAtK['pass@1'] ?? 0,
    costUsd: scores.totals.costUsd,
    passAtK: scores.passAtK,
    problems: scores.problems,
    samples: scores.samples,
    passed: scores.passed,
    failed: scores.failed,
    timeouts: scores.timeouts,
    errors: scores.errors,
    totals: scores.totals,
    elapsedMs: Date.now() - started,
    dataset: { path: dataset.path, sha256: dataset.sha256 },
    sandbox: { python, network, memoryMb: limits.memoryMb, timeoutMs: limits.timeoutMs },
    finishedAt: new Date().toISOString(),
  }
  const files = await writeReportFiles(
    outDir,
    summary,
    summary,
    'HumanEval: cost vs pass@1',
    'pass@1',
    (chart, others) => humanEvalMarkdown(summary, scores, chart, others),
  )
  reporter.finish(summaryTable(summary, files.report), summary)
  return { summary, scores, files, outDir, aborted: signal.aborted }
}

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new BenchError('usage', `${name} must be a whole number of at least 1 (got ${value}).`)
  }
  return value
}
