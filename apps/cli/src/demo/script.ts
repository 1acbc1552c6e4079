/**
 * The scripted model's brain: a pure function from the conversation so far to the next turn.
 * It decides from what the tools actually returned, not from a turn counter, so a denied
 * permission or a failed edit ends the session with an explanation instead of a loop.
 */
import {
  type AssistantMessage,
  type Message,
  type ToolResultMessage,
  textOf,
  toolCallsOf,
} from '@penguin-ai/llm'
import { BUG_MARKER, SAMPLE_FIX, SOURCE_PATH, TEST_COMMAND, TEST_PATH } from './sample.js'
import * as say from './script-text.js'
import { readTestOutcome } from './test-outcome.js'

export interface PlannedCall {
  name: string
  args: Record<string, unknown>
}

export type Step = { kind: 'tools'; text: string; calls: PlannedCall[] } | { kind: 'final'; text: string }

/**
 * More assistant turns than the happy path needs (six) means something unexpected is going on;
 * stopping is better than wandering. The decision table has no cycles, so this is a backstop.
 */
const MAX_TURNS = 8

/** A call of the previous turn paired with what came back (undefined if no result arrived). */
interface Outcome {
  name: string
  args: Record<string, unknown>
  result: ToolResultMessage | undefined
}

export function nextStep(messages: readonly Message[]): Step {
  const lastUser = messages.findLastIndex((m) => m.role === 'user')
  const task = messages.slice(lastUser + 1)
  const assistantTurns = task.filter((m): m is AssistantMessage => m.role === 'assistant')
  const previous = assistantTurns.at(-1)

  if (!previous) {
    // A user message after an earlier session is a follow-up the script has no answer for.
    const hadSession = messages.slice(0, lastUser).some((m) => m.role === 'assistant')
    if (hadSession) return final(say.outOfScript())
    return tools(say.LOOK_AROUND, [{ name: 'list_files', args: {} }])
  }
  if (toolCallsOf(previous).length === 0 || assistantTurns.length >= MAX_TURNS)
    return final(say.outOfScript())

  const outcomes = outcomesOf(previous, task)
  const failed = outcomes.find((o) => !o.result || o.result.isError)
  const names = new Set(outcomes.map((o) => o.name))

  if (names.has('list_files')) {
    if (failed) return final(say.toolFailed('list the project files', output(failed)))
    return tools(say.READ_CODE, [
      { name: 'read_file', args: { path: SOURCE_PATH } },
      { name: 'read_file', args: { path: TEST_PATH } },
    ])
  }
  if (names.has('read_file')) {
    if (failed) return final(say.toolFailed(`read ${String(failed.args.path)}`, output(failed)))
    const source = outcomes.find((o) => o.args.path === SOURCE_PATH)
    if (!(source?.result && textOf(source.result).includes(BUG_MARKER))) return final(say.unexpectedSource())
    return tools(say.RUN_TESTS_FIRST, [{ name: 'run_command', args: { command: TEST_COMMAND } }])
  }
  if (names.has('edit_file')) {
    if (failed) return final(say.toolFailed(`edit ${SOURCE_PATH}`, output(failed)))
    return tools(say.RUN_TESTS_AGAIN, [{ name: 'run_command', args: { command: TEST_COMMAND } }])
  }
  if (names.has('run_command')) return afterTestRun(outcomes, editApplied(task))
  return final(say.outOfScript())
}

function afterTestRun(outcomes: Outcome[], edited: boolean): Step {
  const run = outcomes.find((o) => o.name === 'run_command')
  const text = run ? output(run) : ''
  const tests = readTestOutcome(text)
  // A failing test run usually comes back as an error (non-zero exit), so the error flag alone
  // says nothing; only output without a test summary means the command itself didn't run.
  if (tests.status === 'unknown') {
    return final(
      run?.result?.isError ? say.toolFailed(`run \`${TEST_COMMAND}\``, text) : say.unclearTestRun(text),
    )
  }
  if (!edited) {
    if (tests.status === 'pass') return final(say.alreadyPassing())
    return tools(say.explainFix(tests), [
      {
        name: 'edit_file',
        args: { path: SAMPLE_FIX.path, old_string: SAMPLE_FIX.oldString, new_string: SAMPLE_FIX.newString },
      },
    ])
  }
  return final(tests.status === 'pass' ? say.fixedSummary(tests) : say.stillFailing(tests, text))
}

function outcomesOf(turn: AssistantMessage, task: readonly Message[]): Outcome[] {
  const results = new Map<string, ToolResultMessage>()
  for (const m of task) if (m.role === 'tool') results.set(m.toolCallId, m)
  return toolCallsOf(turn).map((call) => ({
    name: call.name,
    args: parseArgs(call.arguments),
    result: results.get(call.id),
  }))
}

/** Whether an `edit_file` call earlier in this task came back without an error. */
function editApplied(task: readonly Message[]): boolean {
  const editIds = new Set<string>()
  for (const m of task) {
    if (m.role === 'assistant') for (const c of toolCallsOf(m)) if (c.name === 'edit_file') editIds.add(c.id)
  }
  return task.some((m) => m.role === 'tool' && editIds.has(m.toolCallId) && !m.isError)
}

function parseArgs(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function output(outcome: Outcome): string {
  return outcome.result ? textOf(outcome.result) : `No result came back for ${outcome.name}.`
}

function tools(text: string, calls: PlannedCall[]): Step {
  return { kind: 'tools', text, calls }
}

function final(text: string): Step {
  return { kind: 'final', text }
}
