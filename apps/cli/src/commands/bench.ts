import { parseArgs } from 'node:util'
import type { ResolvedModel } from '@penguin-ai/llm'
import { positiveInt } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { onInterrupt } from '../interrupt.js'
import { configured, flagLayer } from '../setup.js'

export const BENCH_HELP = `Usage:
  penguin bench humaneval [--data PATH] [--limit N] [--samples K] [--mode completion|agent] [options]
  penguin bench swebench --instances FILE.jsonl --repos DIR [options]
  penguin bench swebench --make-suite DIR [--gold | --model M …]

humaneval: HumanEval through Penguin. Without --data the official HumanEval.jsonl.gz is downloaded
once to Penguin's data directory. Each candidate runs with python3 in a scratch directory with a
timeout, a memory limit, in the OS sandbox: read-only, no network. Reports pass@k (unbiased estimator).
  --data PATH                  HumanEval.jsonl(.gz)
  --limit N                    only the first N problems
  --samples K                  samples per problem (default 1); pass@k for k in 1, 10, 100 up to K
  --mode completion|agent      one model call per sample (default), or the Penguin agent with tools
                               writing solution.py in a scratch workspace
  --timeout SECONDS            per candidate (default 10)
  --memory MB                  address-space limit per candidate (default 1024)
  --temperature T              sent to the model only when given
  --python PATH                interpreter (default python3)

swebench: SWE-bench-format instances through the Penguin agent. Each repo is cloned from a local
mirror, DIR/<owner>__<name> or DIR/<owner>/<name>, at base_commit; the agent's changes become
predictions.jsonl for the official evaluator, and a local evaluator runs the hidden tests where the
instance has a test_cmd, in the OS sandbox (read-only, no network).
  --instances FILE             instances (JSONL, .jsonl.gz or a JSON array)
  --repos DIR                  local mirrors
  --ids ID,ID                  only these instances
  --limit N                    only the first N instances
  --gold                       use each instance's known fix instead of a model (checks the setup)
  --no-eval                    write predictions only
  --test-timeout SECONDS       per test command (default 300)
  --make-suite DIR             write Penguin's own SWE-style suite (repos + instances.jsonl) to DIR;
                               with --model or --gold, then run it

Common options:
  -m, --model provider/model   any model penguin run accepts (or PENGUIN_MODEL / config "model")
      --base-url URL           OpenAI-compatible endpoint
      --concurrency N          problems or instances in flight (default 4 for humaneval, 2 for swebench)
      --max-iterations N       agent: model calls per problem/instance (default 20 / 40)
      --out DIR                results folder (default penguin-bench/<benchmark>/<run>)
      --resume                 continue the run in --out, skipping what it already finished
      --sandbox off            run candidates, tests and the agent's commands without the sandbox
      --json                   one JSON object per line on stdout instead of progress and a table
      --debug                  show stack traces for errors

Outputs in the results folder: results.jsonl (per problem/instance: model, tokens, cost, wall time,
turns, outcome), summary.json, report.md, chart.svg; swebench also predictions.jsonl.`

const COMMON = {
  model: { type: 'string', short: 'm' },
  'base-url': { type: 'string' },
  concurrency: { type: 'string' },
  'max-iterations': { type: 'string' },
  limit: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  sandbox: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const HUMANEVAL = {
  ...COMMON,
  data: { type: 'string' },
  samples: { type: 'string' },
  mode: { type: 'string' },
  timeout: { type: 'string' },
  memory: { type: 'string' },
  temperature: { type: 'string' },
  python: { type: 'string' },
} as const

const SWEBENCH = {
  ...COMMON,
  instances: { type: 'string' },
  repos: { type: 'string' },
  ids: { type: 'string' },
  gold: { type: 'boolean' },
  'no-eval': { type: 'boolean' },
  'test-timeout': { type: 'string' },
  'make-suite': { type: 'string' },
} as const

/** The flags every benchmark shares, as parsed. */
interface Common {
  model?: string
  'base-url'?: string
  json?: boolean
}

/** `penguin bench humaneval|swebench …`: the harness lives in @penguin-ai/bench, loaded on use. */
export async function benchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === '--help' || sub === '-h' || sub === 'help') return help()
  if (sub === undefined) {
    throw usageError(
      'penguin bench needs a benchmark: humaneval or swebench. Run "penguin bench --help" for usage.',
    )
  }
  if (sub === 'humaneval') return humaneval(parse(rest, HUMANEVAL))
  if (sub === 'swebench') return swebench(parse(rest, SWEBENCH))
  throw usageError(`Unknown benchmark "${sub}": use "penguin bench humaneval" or "penguin bench swebench".`)
}

function parse<O extends typeof HUMANEVAL | typeof SWEBENCH>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values
  } catch (error) {
    throw usageError(`${(error as Error).message.replace(/\.$/, '')}. Run "penguin bench --help" for usage.`)
  }
}

async function humaneval(v: ReturnType<typeof parse<typeof HUMANEVAL>>): Promise<number> {
  if (v.help) return help()
  const options = {
    mode: humanEvalMode(v.mode ?? 'completion'),
    ...(v.data ? { dataPath: v.data } : {}),
    ...(v.limit ? { limit: positiveInt('--limit', v.limit) } : {}),
    ...(v.samples ? { samples: positiveInt('--samples', v.samples) } : {}),
    ...(v.concurrency ? { concurrency: positiveInt('--concurrency', v.concurrency) } : {}),
    ...(v['max-iterations'] ? { maxIterations: positiveInt('--max-iterations', v['max-iterations']) } : {}),
    ...(v.timeout ? { timeoutMs: positiveInt('--timeout', v.timeout) * 1000 } : {}),
    ...(v.memory ? { memoryMb: positiveInt('--memory', v.memory) } : {}),
    ...(v.temperature ? { temperature: temperature(v.temperature) } : {}),
    ...(v.python ? { python: v.python } : {}),
    ...(v.out ? { outDir: v.out } : {}),
    resume: v.resume ?? false,
    sandbox: sandboxFlag(v.sandbox),
  }
  const model = await resolveBenchModel(v)
  return withBench(v, async (bench, signal, reporter) => {
    const run = await bench.runHumanEval({ ...options, model, reporter, signal })
    return run.aborted
  })
}

async function swebench(v: ReturnType<typeof parse<typeof SWEBENCH>>): Promise<number> {
  if (v.help) return help()
  const suiteDir = v['make-suite']
  // --make-suite alone only writes the suite; with --model or --gold it is run right away.
  const runs = suiteDir === undefined || v.gold === true || v.model !== undefined
  if (runs && suiteDir === undefined && (!v.instances || !v.repos)) {
    throw usageError(
      'penguin bench swebench needs --instances FILE.jsonl and --repos DIR (or --make-suite DIR).',
    )
  }
  const ids = v.ids
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  const options = {
    gold: v.gold ?? false,
    evaluate: !v['no-eval'],
    ...(ids?.length ? { ids } : {}),
    ...(v.limit ? { limit: positiveInt('--limit', v.limit) } : {}),
    ...(v.concurrency ? { concurrency: positiveInt('--concurrency', v.concurrency) } : {}),
    ...(v['max-iterations'] ? { maxIterations: positiveInt('--max-iterations', v['max-iterations']) } : {}),
    ...(v['test-timeout'] ? { testTimeoutMs: positiveInt('--test-timeout', v['test-timeout']) * 1000 } : {}),
    ...(v.out ? { outDir: v.out } : {}),
    resume: v.resume ?? false,
    sandbox: sandboxFlag(v.sandbox),
  }
  const model = runs && !v.gold ? await resolveBenchModel(v) : undefined
  let instancesPath = v.instances
  let reposDir = v.repos
  if (suiteDir !== undefined) {
    const bench = await loadBench()
    const suite = await mapErrors(bench, () => bench.makeSuite(suiteDir))
    if (!runs) {
      const message = v.json
        ? JSON.stringify({ type: 'bench.suite', ...suite })
        : `Wrote ${suite.instanceIds.length} instances to ${suite.instancesPath} with their repositories in ${suite.reposDir}.\n` +
          `Run them: penguin bench swebench --instances ${suite.instancesPath} --repos ${suite.reposDir} --model provider/model`
      process.stdout.write(`${message}\n`)
      return EXIT.ok
    }
    instancesPath ??= suite.instancesPath
    reposDir ??= suite.reposDir
  }
  return withBench(v, async (bench, signal, reporter) => {
    const run = await bench.runSweBench({
      ...options,
      instancesPath: instancesPath as string,
      reposDir: reposDir as string,
      ...(model ? { model } : {}),
      reporter,
      signal,
    })
    return run.aborted
  })
}

function help(): number {
  process.stdout.write(`${BENCH_HELP}\n`)
  return EXIT.ok
}

type Bench = typeof import('@penguin-ai/bench')

function loadBench(): Promise<Bench> {
  return import('@penguin-ai/bench')
}

/** Runs a benchmark with Ctrl-C handling and the reporter the flags ask for; maps its errors. */
async function withBench(
  v: Common,
  body: (
    bench: Bench,
    signal: AbortSignal,
    reporter: ReturnType<Bench['createReporter']>,
  ) => Promise<boolean>,
): Promise<number> {
  const bench = await loadBench()
  const controller = new AbortController()
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => process.stderr.write(text),
  )
  const reporter = bench.createReporter({
    json: v.json ?? false,
    stdout: process.stdout,
    stderr: process.stderr,
  })
  try {
    const aborted = await mapErrors(bench, () => body(bench, controller.signal, reporter))
    return aborted ? EXIT.interrupted : EXIT.ok
  } finally {
    interrupt.dispose()
  }
}

/** Harness errors become one-line CLI errors: a model that cannot be used fails the run (1), the rest are usage (2). */
async function mapErrors<T>(bench: Bench, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (bench.isBenchError(error))
      throw new CliError(error.message, error.kind === 'model' ? EXIT.failed : EXIT.usage)
    throw error
  }
}

/** The model from --model / --base-url, config files and environment, exactly as `penguin run` resolves it. */
async function resolveBenchModel(v: Common): Promise<ResolvedModel> {
  const baseUrl = v['base-url']
  if (baseUrl !== undefined && !/^https?:\/\/./.test(baseUrl)) {
    throw usageError(`--base-url must be an http:// or https:// URL (got "${baseUrl}").`)
  }
  const { ignoredWarning, resolveAgentModel, resolveConfig } = await import('@penguin-ai/config')
  return configured(async () => {
    const resolved = await resolveConfig({
      workspace: process.cwd(),
      env: process.env,
      flags: flagLayer({ model: v.model?.trim() || undefined, baseUrl }),
    })
    const warning = ignoredWarning(resolved)
    if (warning) process.stderr.write(`penguin: ${warning}\n`)
    return resolveAgentModel(resolved, { env: process.env })
  })
}

/** `--sandbox off` turns it off; any other value is refused (candidates are never given more). */
function sandboxFlag(raw: string | undefined): boolean {
  if (raw === undefined) return true
  if (raw === 'off') return false
  throw usageError(`penguin bench takes only --sandbox off (got "${raw}"): candidates always run read-only.`)
}

function humanEvalMode(raw: string): 'completion' | 'agent' {
  if (raw === 'completion' || raw === 'agent') return raw
  throw usageError(`--mode must be completion or agent (got "${raw}").`)
}

function temperature(raw: string): number {
  const value = Number(raw)
  if (!raw.trim() || !Number.isFinite(value) || value < 0 || value > 2) {
    throw usageError(`--temperature must be a number from 0 to 2 (got "${raw}").`)
  }
  return value
}
