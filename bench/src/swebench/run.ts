import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import type { ModelStreamFn } from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import { BenchError } from '../errors.js'
import { JsonlWriter, readRecords } from '../jsonl.js'
import { slug } from '../paths.js'
import { runPool } from '../pool.js'
import { type Reporter, silentReporter } from '../progress.js'
import { type ReportFiles, writeReportFiles } from '../report/runs.js'
import { openRunDir } from '../run-dir.js'
import { findMirror, mirrorCandidates } from './checkout.js'
import { type InstanceSettings, judge, produce } from './instance.js'
import { loadInstances, type SweInstance } from './instances.js'
import { type SweSummary, sweMarkdown, sweSummaryTable } from './report.js'
import {
  type InstanceRecord,
  InstanceRecordSchema,
  latestById,
  type Prediction,
  PredictionSchema,
  type SweScores,
  scoreSwe,
} from './results.js'

export interface SweBenchOptions {
  /** Instances in the official format (JSONL, gzipped JSONL or a JSON array). */
  instancesPath: string
  /** Local mirrors: `<dir>/<owner>__<name>` or `<dir>/<owner>/<name>`. */
  reposDir: string
  /** Required unless `gold`. */
  model?: ResolvedModel
  /** Use each instance's known fix (`patch`) instead of an agent: checks the instances and the evaluator. */
  gold?: boolean
  /** Run the local evaluator. Default true. */
  evaluate?: boolean
  /** Only these instance ids. */
  ids?: string[]
  /** Only the first N instances (after `ids`). */
  limit?: number
  /** Instances in flight at once. Default 2. */
  concurrency?: number
  /** Default `penguin-bench/swebench/<instances file>-<model>`. */
  outDir?: string
  resume?: boolean
  /** Agent: model calls per instance. Default 40. */
  maxIterations?: number
  /** Per test command of the local evaluator. Default 5 minutes. */
  testTimeoutMs?: number
  /**
   * Test commands run in the OS sandbox (read-only, no network) and the agent's commands in its
   * workspace-write sandbox. Default true; false runs both with the user's full rights.
   */
  sandbox?: boolean
  reporter?: Reporter
  signal?: AbortSignal
  stream?: ModelStreamFn
}

export interface SweBenchRun {
  summary: SweSummary
  scores: SweScores
  files: ReportFiles & { predictions: string }
  outDir: string
  aborted: boolean
}

const FATAL_MODEL_ERRORS = new Set(['auth', 'model_not_found'])

export async function runSweBench(options: SweBenchOptions): Promise<SweBenchRun> {
  const started = Date.now()
  const gold = options.gold ?? false
  const model = options.model
  if (!gold && !model)
    throw new BenchError(
      'usage',
      'A model is needed to run the agent (or use --gold to check the known fixes).',
    )
  const modelName = gold ? 'gold' : (model as ResolvedModel).id
  const reporter = options.reporter ?? silentReporter
  const signal = options.signal ?? new AbortController().signal
  const settings: InstanceSettings = {
    ...(model ? { model } : {}),
    gold,
    evaluate: options.evaluate ?? true,
    maxIterations: options.maxIterations ?? 40,
    testTimeoutMs: options.testTimeoutMs ?? 300_000,
    signal,
    sandboxOff: options.sandbox === false,
    ...(options.stream ? { stream: options.stream } : {}),
  }

  const instances = selectInstances(await loadInstances(options.instancesPath), options)
  const mirrors = await locateMirrors(instances, options.reposDir)
  const outDir = resolve(
    options.outDir ??
      join(
        'penguin-bench',
        'swebench',
        `${slug(basename(options.instancesPath).replace(/\.jsonl?(\.gz)?$/, ''))}-${slug(modelName)}`,
      ),
  )
  const runDir = await openRunDir(outDir, options.resume ?? false, {
    benchmark: 'swebench',
    model: modelName,
  })
  const predictionsPath = join(outDir, 'predictions.jsonl')
  const previous = await readRecords(runDir.results, InstanceRecordSchema)
  const done = new Set(previous.filter((r) => r.status !== 'error').map((r) => r.instance_id))
  const todo = instances.filter((instance) => !done.has(instance.instance_id))

  reporter.start({
    benchmark: 'swebench',
    model: modelName,
    total: todo.length,
    skipped: instances.length - todo.length,
    outDir,
  })
  const results = new JsonlWriter(runDir.results)
  const predictions = new JsonlWriter(predictionsPath)
  const fresh: InstanceRecord[] = []

  await runPool(
    todo,
    options.concurrency ?? 2,
    async (instance) => {
      const mirror = mirrors.get(instance.repo) as string
      const work = await mkdtemp(join(tmpdir(), 'penguin-swe-'))
      try {
        const outcome = await produce(instance, mirror, join(work, 'repo'), settings)
        if (signal.aborted) return
        if (outcome.error && FATAL_MODEL_ERRORS.has(outcome.error.kind)) {
          throw new BenchError('model', `The model cannot be used: ${outcome.error.message}`)
        }
        const record = await judge(instance, mirror, outcome, settings)
        if (signal.aborted) return
        if (record.status !== 'error') {
          await predictions.append({
            instance_id: instance.instance_id,
            model_name_or_path: modelName,
            model_patch: outcome.patch,
          })
        }
        fresh.push(record)
        await results.append(record)
        reporter.item({
          id: instance.instance_id,
          ok: record.status === 'resolved',
          status: record.status,
          costUsd: record.metrics.costUsd,
          record,
        })
      } finally {
        await rm(work, { recursive: true, force: true })
      }
    },
    signal,
  ).finally(() => Promise.all([results.flush(), predictions.flush()]))

  await dedupePredictions(predictionsPath)
  const scores = scoreSwe([...previous, ...fresh])
  const summary: SweSummary = {
    benchmark: 'swebench',
    label: modelName,
    model: modelName,
    instancesFile: resolve(options.instancesPath),
    score: scores.instances ? scores.resolved / scores.instances : 0,
    costUsd: scores.totals.costUsd,
    instances: scores.instances,
    resolved: scores.resolved,
    unresolved: scores.unresolved,
    notEvaluated: scores.notEvaluated,
    errors: scores.errors,
    totals: scores.totals,
    elapsedMs: Date.now() - started,
    predictions: predictionsPath,
    finishedAt: new Date().toISOString(),
  }
  const files = await writeReportFiles(
    outDir,
    summary,
    summary,
    'SWE-bench format: cost vs resolved',
    'resolved',
    (chart, others) => sweMarkdown(summary, scores, chart, others),
  )
  reporter.finish(sweSummaryTable(summary, files.report), summary)
  return {
    summary,
    scores,
    files: { ...files, predictions: predictionsPath },
    outDir,
    aborted: signal.aborted,
  }
}

function selectInstances(all: SweInstance[], options: SweBenchOptions): SweInstance[] {
  let selected = all
  if (options.ids?.length) {
    const known = new Set(all.map((i) => i.instance_id))
    const missing = options.ids.filter((id) => !known.has(id))
    if (missing.length)
      throw new BenchError('usage', `No such instance in ${options.instancesPath}: ${missing.join(', ')}.`)
    const wanted = new Set(options.ids)
    selected = all.filter((i) => wanted.has(i.instance_id))
  }
  return options.limit ? selected.slice(0, options.limit) : selected
}

/** Every repository must have a mirror before anything runs: a typo in --repos fails at once. */
async function locateMirrors(instances: SweInstance[], reposDir: string): Promise<Map<string, string>> {
  const mirrors = new Map<string, string>()
  const missing: string[] = []
  for (const repo of new Set(instances.map((i) => i.repo))) {
    const found = await findMirror(reposDir, repo)
    if (found) mirrors.set(repo, found)
    else missing.push(`${repo} (looked for ${mirrorCandidates(reposDir, repo).join(', ')})`)
  }
  if (missing.length) throw new BenchError('usage', `No local mirror for ${missing.join('; ')}.`)
  return mirrors
}

/** A resumed run may have predicted an instance twice; the official evaluator wants one line each. */
async function dedupePredictions(path: string): Promise<void> {
  const all: Prediction[] = await readRecords(path, PredictionSchema)
  const latest = latestById(all)
  if (latest.length === all.length) return
  await writeFile(path, latest.map((p) => `${JSON.stringify(p)}\n`).join(''))
}
