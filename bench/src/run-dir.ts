import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BenchError, messageOf } from './errors.js'

export interface RunDir {
  dir: string
  results: string
  /** True when an earlier run's results are continued. */
  resumed: boolean
}

/**
 * Prepares a results directory. Results already there are never overwritten silently: without
 * `resume` that is a usage error; with it, the settings that define the run (`identity`: model,
 * mode, dataset …) must match the ones recorded in run.json.
 */
export async function openRunDir(
  dir: string,
  resume: boolean,
  identity: Record<string, string | number>,
): Promise<RunDir> {
  try {
    await mkdir(dir, { recursive: true })
  } catch (error) {
    throw new BenchError('usage', `Cannot create the results directory ${dir}: ${messageOf(error)}`)
  }
  const results = join(dir, 'results.jsonl')
  const metaPath = join(dir, 'run.json')
  const hasResults = await nonEmpty(results)
  if (hasResults && !resume) {
    throw new BenchError(
      'usage',
      `${dir} already holds results of a run. Pass --resume to continue it, or --out DIR for a new run.`,
    )
  }
  if (hasResults) {
    const recorded = await readIdentity(metaPath)
    for (const [key, value] of Object.entries(identity)) {
      if (recorded && recorded[key] !== undefined && recorded[key] !== value) {
        throw new BenchError(
          'usage',
          `Cannot resume ${dir}: it was run with ${key} ${JSON.stringify(recorded[key])}, not ${JSON.stringify(value)}. Use --out DIR for a new run.`,
        )
      }
    }
  }
  await writeFile(metaPath, `${JSON.stringify(identity, null, 2)}\n`)
  return { dir, results, resumed: hasResults }
}

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch {
    return false
  }
}

async function readIdentity(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
