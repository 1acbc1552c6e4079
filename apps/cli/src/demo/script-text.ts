/** The words of the scripted demo, kept apart from the decisions so either can change alone. */
import { SAMPLE_FIX, SOURCE_PATH, TEST_COMMAND } from './sample.js'
import type { TestOutcome } from './test-outcome.js'

export const LOOK_AROUND = 'Let me look at the project.'

export const READ_CODE = `There is a cart module and its tests. I'll read both.`

export const RUN_TESTS_FIRST = `\`cartTotal\` sums \`item.price\` over the items. Let me run \`${TEST_COMMAND}\` to see what fails.`

export const RUN_TESTS_AGAIN = 'Running the tests again to confirm the fix.'

export function explainFix(outcome: TestOutcome): string {
  const which = outcome.firstFailure ? `"${outcome.firstFailure}" fails` : 'A test fails'
  const numbers = outcome.mismatch
    ? ` (got ${outcome.mismatch.actual}, expected ${outcome.mismatch.expected})`
    : ''
  return `${which}${numbers}. \`cartTotal\` adds each item's unit price once and never multiplies by \`quantity\`, so any line with more than one unit is undercounted. Fixing the reducer in ${SOURCE_PATH}.`
}

/** How to leave the demo: said at the end of every final answer, whatever happened. */
export const REAL_MODEL_HINT = [
  'This demo ran on a built-in scripted model: the tools, the edit and the test runs were real, but the decisions were scripted. To use Penguin with a real model:',
  '',
  '    export OPENAI_API_KEY=sk-...',
  '    penguin run --model openai/gpt-4o "fix the failing tests"',
  '',
  'or run one locally with Ollama: `penguin run --model ollama/llama3.1 "..."`.',
].join('\n')

function finalText(body: string): string {
  return `${body}\n\n${REAL_MODEL_HINT}`
}

export function fixedSummary(outcome: TestOutcome): string {
  const counts =
    outcome.passed === undefined ? 'The tests pass now.' : `All ${outcome.passed} tests pass now.`
  return finalText(
    [
      `Fixed. \`cartTotal\` in ${SOURCE_PATH} added each item's unit \`price\` once and ignored \`quantity\`, so two bags of coffee were charged as one.`,
      '',
      'The change, one line in the reducer:',
      '',
      `    - ${SAMPLE_FIX.oldString.trim()}`,
      `    + ${SAMPLE_FIX.newString.trim()}`,
      '',
      counts,
    ].join('\n'),
  )
}

export function alreadyPassing(): string {
  return finalText(`The tests already pass, so there is nothing to fix here. I made no changes.`)
}

export function stillFailing(outcome: TestOutcome, output: string): string {
  const which = outcome.firstFailure ? ` ("${outcome.firstFailure}")` : ''
  return finalText(
    `I changed ${SOURCE_PATH} to multiply each price by its quantity, but the tests still fail${which}. I'm stopping here rather than guessing further. The last output was:\n\n${quote(output)}`,
  )
}

/** A tool came back with an error (a denied permission, a missing file, an edit that didn't apply). */
export function toolFailed(action: string, output: string): string {
  return finalText(`I couldn't ${action}, so I stopped there. The tool said:\n\n${quote(output)}`)
}

export function unclearTestRun(output: string): string {
  return finalText(
    `I ran \`${TEST_COMMAND}\` but couldn't tell from its output whether the tests passed, so I stopped there. The output was:\n\n${quote(output)}`,
  )
}

export function unexpectedSource(): string {
  return finalText(
    `${SOURCE_PATH} doesn't contain the code this scripted demo was written for, so I stopped rather than edit it blindly. I made no changes.`,
  )
}

export function outOfScript(): string {
  return finalText(
    `The scripted model can only play through its one demo task, so it can't take this further.`,
  )
}

/** Indents output as a block and keeps it short: the reader needs the gist, not the whole log. */
function quote(output: string, maxChars = 800): string {
  const trimmed = output.trim() || '(no output)'
  const short = trimmed.length > maxChars ? `${trimmed.slice(0, maxChars)}\n…` : trimmed
  return short
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}
