import { parseArgs } from 'node:util'
import type { ResolvedModel } from '@penguin-ai/llm'
import { positiveInt } from '../args.js'
import { CliError, EXIT, flagError, usageError } from '../cli-error.js'
import { onInterrupt } from '../interrupt.js'
import { configured, flagLayer } from '../setup.js'
import { printHelp } from './help-text.js'
import { BENCH } from './spec/server.js'
import { optionsOf, subcommand } from './spec/types.js'

/** Each benchmark's flags and the ones they share, as the command table declares them. */
const HUMANEVAL = optionsOf([...subcommand(BENCH, 'humaneval').flags, ...BENCH.flags])
const SWEBENCH = optionsOf([...subcommand(BENCH, 'swebench').flags, ...BENCH.flags])

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
    throw flagError(error, 'bench')
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
  return printHelp(['bench'])
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
