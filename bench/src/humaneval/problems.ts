import { z } from 'zod'
import { parseJsonl, readMaybeGzip, sha256 } from '../jsonl.js'

/** One record of the official HumanEval.jsonl(.gz). Other fields are ignored. */
export const HumanEvalProblemSchema = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Python identifier'),
  canonical_solution: z.string(),
  test: z.string().min(1),
})

export type HumanEvalProblem = z.infer<typeof HumanEvalProblemSchema>

export interface HumanEvalDataset {
  path: string
  sha256: string
  problems: HumanEvalProblem[]
}

/** Reads HumanEval from a JSONL file, gzipped or not. */
export async function loadHumanEval(path: string): Promise<HumanEvalDataset> {
  const bytes = await readMaybeGzip(path, 'HumanEval data')
  const problems = parseJsonl(bytes.toString('utf8'), HumanEvalProblemSchema, path)
  return { path, sha256: sha256(bytes), problems }
}
