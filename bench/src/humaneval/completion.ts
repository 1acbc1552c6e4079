import { emptyUsage, type Message, textOf, type Usage, userMessage } from '@penguin-ai/llm'
import { costOf, metricsFrom } from '../metrics.js'
import { extractCompletion } from './extract.js'
import type { HumanEvalProblem } from './problems.js'
import type { Attempt, SolverContext } from './solver.js'

export const COMPLETION_SYSTEM_PROMPT =
  'You are an expert Python programmer. Complete the function the user gives you. Reply with the complete ' +
  'function (its signature, body and any imports it needs) in a single ```python code block, and nothing else.'

export function completionMessages(problem: HumanEvalProblem): Message[] {
  return [
    { role: 'system', content: COMPLETION_SYSTEM_PROMPT },
    userMessage(`Complete this Python function:\n\n\`\`\`python\n${problem.prompt}\`\`\``),
  ]
}

const NO_USAGE: Usage = emptyUsage()

/** Completion mode: one model call per sample; the reply's code is the candidate. */
export async function solveByCompletion(problem: HumanEvalProblem, context: SolverContext): Promise<Attempt> {
  const started = Date.now()
  const metrics = (usage: Usage) =>
    metricsFrom(context.model.id, usage, costOf(context.model.info, usage), Date.now() - started, 1)
  const events = context.stream(context.model, {
    messages: completionMessages(problem),
    signal: context.signal,
    ...(context.temperature === undefined ? {} : { temperature: context.temperature }),
  })
  for await (const event of events) {
    if (event.type === 'done') {
      const raw = textOf(event.message)
      return { completion: extractCompletion(raw, problem.entry_point), raw, metrics: metrics(event.usage) }
    }
    if (event.type === 'error') {
      return {
        completion: undefined,
        raw: '',
        metrics: metrics(NO_USAGE),
        error: { kind: event.error.kind, message: event.error.message },
      }
    }
  }
  return {
    completion: undefined,
    raw: '',
    metrics: metrics(NO_USAGE),
    error: { kind: 'server', message: 'the model stream ended without an answer' },
  }
}
