import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { BenchError, messageOf } from '../errors.js'
import { parseJsonl } from '../jsonl.js'
import { benchCacheDir } from '../paths.js'
import { HumanEvalProblemSchema } from './problems.js'

/** The official dataset, from the openai/human-eval repository. */
export const HUMANEVAL_URL = 'https://github.com/openai/human-eval/raw/master/data/HumanEval.jsonl.gz'

export interface DatasetSource {
  /** `--data`: used as is when given. */
  dataPath?: string
  env?: NodeJS.ProcessEnv
  /** Injectable for tests. */
  fetch?: typeof fetch
  /** Told when a download starts. */
  onDownload?: (url: string, to: string) => void
}

/**
 * The path of the HumanEval file to use: `--data` when given, else the cached copy under Penguin's
 * data directory, downloading it from the official repository the first time.
 */
export async function locateHumanEval(source: DatasetSource): Promise<string> {
  if (source.dataPath) return resolve(source.dataPath)
  const dir = benchCacheDir(source.env)
  const target = join(dir, 'HumanEval.jsonl.gz')
  if (await exists(target)) return target
  source.onDownload?.(HUMANEVAL_URL, target)
  const bytes = await download(source.fetch ?? fetch)
  try {
    parseJsonl(gunzipSync(bytes).toString('utf8'), HumanEvalProblemSchema, HUMANEVAL_URL)
  } catch (error) {
    throw new BenchError(
      'data',
      `The file downloaded from ${HUMANEVAL_URL} is not HumanEval: ${messageOf(error)}`,
    )
  }
  await mkdir(dir, { recursive: true })
  const partial = `${target}.${process.pid}.partial`
  try {
    await writeFile(partial, bytes)
    await rename(partial, target)
  } catch (error) {
    await rm(partial, { force: true })
    throw new BenchError('environment', `Cannot cache HumanEval at ${target}: ${messageOf(error)}`)
  }
  return target
}

async function download(fetchFn: typeof fetch): Promise<Buffer> {
  const hint = 'Pass --data PATH to a local copy of HumanEval.jsonl.gz.'
  let response: Response
  try {
    response = await fetchFn(HUMANEVAL_URL, { redirect: 'follow', signal: AbortSignal.timeout(60_000) })
  } catch (error) {
    throw new BenchError(
      'environment',
      `Cannot download HumanEval from ${HUMANEVAL_URL}: ${messageOf(error)}. ${hint}`,
    )
  }
  if (!response.ok) {
    throw new BenchError(
      'environment',
      `Cannot download HumanEval from ${HUMANEVAL_URL}: HTTP ${response.status}. ${hint}`,
    )
  }
  return Buffer.from(await response.arrayBuffer())
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
