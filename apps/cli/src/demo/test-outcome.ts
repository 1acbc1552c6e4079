/** Reads a test run's output the way a person skims it: did it pass, and what failed first. */

export interface TestOutcome {
  status: 'pass' | 'fail' | 'unknown'
  passed?: number
  failed?: number
  /** Name of the first failing test, when the reporter printed one. */
  firstFailure?: string
  /** `actual !== expected` from the first strict-equality failure, when present. */
  mismatch?: { actual: string; expected: string }
}

// `node --test` prints `# pass 3` with the TAP reporter (Node 20 without a TTY) and `ℹ pass 3`
// with the spec reporter (Node 22+), so both prefixes are accepted.
const COUNT = (label: string): RegExp => new RegExp(`^\\s*(?:#|ℹ)\\s*${label}\\s+(\\d+)\\s*$`, 'm')
const TAP_FAILURE = /^\s*not ok \d+ - (.+)$/m
const SPEC_FAILURE = /^\s*✖ (.+?)(?: \([\d.]+m?s\))?$/m
const MISMATCH = /^\s*(\S+) !== (\S+)\s*$/m

export function readTestOutcome(output: string): TestOutcome {
  const passed = matchNumber(output, COUNT('pass'))
  const failed = matchNumber(output, COUNT('fail'))
  if (failed === undefined) return { status: 'unknown' }
  const outcome: TestOutcome = { status: failed > 0 ? 'fail' : 'pass', failed }
  if (passed !== undefined) outcome.passed = passed
  if (failed > 0) {
    const name = (TAP_FAILURE.exec(output) ?? SPEC_FAILURE.exec(output))?.[1]?.trim()
    if (name) outcome.firstFailure = name
    const mismatch = MISMATCH.exec(output)
    if (mismatch?.[1] && mismatch[2]) outcome.mismatch = { actual: mismatch[1], expected: mismatch[2] }
  }
  return outcome
}

function matchNumber(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text)
  return match?.[1] === undefined ? undefined : Number(match[1])
}
