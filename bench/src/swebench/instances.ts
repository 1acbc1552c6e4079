import { z } from 'zod'
import { BenchError, messageOf } from '../errors.js'
import { parseJsonl, readMaybeGzip } from '../jsonl.js'

/** FAIL_TO_PASS / PASS_TO_PASS: a list, or (as in the official dataset) a JSON-encoded list. */
const TestList = z.preprocess((value) => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}, z.array(z.string()))

/**
 * A task instance in the official SWE-bench format. Fields this harness does not use (`version`,
 * `hints_text`, `environment_setup_commit`, …) are kept as they are. `test_cmd` is this harness's
 * extension for the local evaluator: a shell command run in the repository, where `{test}` (if
 * present) is replaced by each FAIL_TO_PASS / PASS_TO_PASS entry in turn.
 */
export const SweInstanceSchema = z.looseObject({
  instance_id: z.string().min(1),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be "owner/name"'),
  base_commit: z.string().regex(/^[0-9a-f]{7,40}$/i, 'must be a commit hash'),
  problem_statement: z.string().min(1),
  /** The gold fix, when known. */
  patch: z.string().optional(),
  test_patch: z.string().default(''),
  FAIL_TO_PASS: TestList.default([]),
  PASS_TO_PASS: TestList.default([]),
  test_cmd: z.string().min(1).optional(),
})

export type SweInstance = z.infer<typeof SweInstanceSchema>

/** Reads instances from JSONL (gzipped or not) or from a JSON array. */
export async function loadInstances(path: string): Promise<SweInstance[]> {
  const text = (await readMaybeGzip(path, 'instances file')).toString('utf8')
  if (!text.trimStart().startsWith('[')) return parseJsonl(text, SweInstanceSchema, path)
  let array: unknown
  try {
    array = JSON.parse(text)
  } catch (error) {
    throw new BenchError('data', `${path}: not valid JSON (${messageOf(error)}).`)
  }
  if (!Array.isArray(array)) throw new BenchError('data', `${path}: expected an array of instances.`)
  return parseJsonl(array.map((item) => JSON.stringify(item)).join('\n'), SweInstanceSchema, path)
}
