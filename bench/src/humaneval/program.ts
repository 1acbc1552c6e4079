import type { Completion } from './extract.js'
import type { HumanEvalProblem } from './problems.js'

/**
 * The program a candidate is judged by, as in the official harness: the solution, then the
 * problem's `check` function, then a call to it. A module-style solution follows the whole prompt,
 * which keeps the prompt's imports and helpers and lets the solution's definition replace the stub.
 */
export function buildProgram(problem: HumanEvalProblem, completion: Completion): string {
  const prompt = problem.prompt.endsWith('\n') ? problem.prompt : `${problem.prompt}\n`
  const solution = completion.kind === 'body' ? prompt + completion.code : `${prompt}\n${completion.code}`
  return `${solution}\n\n${problem.test}\n\ncheck(${problem.entry_point})\n`
}
