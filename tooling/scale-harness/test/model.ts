/**
 * The mock model's side of the end-to-end test: every session's task is two commands and an answer.
 * Each command appends the name of the worker that ran it to a file in the session's workspace and
 * prints which execution of that call it was, so both the files and the requests the model received
 * say which worker ran what, and how often.
 */
import type { MockTurn } from '@penguin-ai/mock-llm'

/** The prompt of session `task`. */
export function prompt(task: number): string {
  return `E2E task ${task}: run the two logging commands, then say you are done.`
}

/** The command of call `step` (1 or 2): appends to calls-<step>.log, prints `ran <step> on <worker> #<n>`. */
export function command(step: number): string {
  return `echo "$E2E_WORKER" >> calls-${step}.log && echo "ran ${step} on $E2E_WORKER #$(wc -l < calls-${step}.log)"`
}

export function callId(task: number, step: number): string {
  return `call_e2e_${task}_${step}`
}

export function answer(task: number): string {
  return `Task ${task} done.`
}

/** What the model learnt from one result it was sent: call `step` ran on `worker`, as execution `execution`. */
export interface SeenResult {
  task: number
  step: number
  worker: string
  execution: number
}

interface ChatMessage {
  role: string
  content?: unknown
  tool_call_id?: string
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
  return ''
}

export interface ParsedRequest {
  task: number
  /** Tool results in the conversation (completed or not). */
  results: number
  /** Results of commands that ran (their output reached the model). */
  seen: SeenResult[]
}

/** Which session a request belongs to and how far its conversation is. */
export function parseRequest(messages: readonly ChatMessage[]): ParsedRequest {
  const user = messages.find((message) => message.role === 'user')
  const task = Number(/E2E task (\d+)/.exec(textOf(user?.content))?.[1] ?? Number.NaN)
  if (!Number.isInteger(task)) throw new Error('a request without an E2E task prompt')
  const tools = messages.filter((message) => message.role === 'tool')
  const seen = tools.flatMap((message) => {
    const ran = /ran (\d) on (\w+) #(\d+)/.exec(textOf(message.content))
    return ran ? [{ task, step: Number(ran[1]), worker: ran[2]!, execution: Number(ran[3]) }] : []
  })
  return { task, results: tools.length, seen }
}

/** The next turn for a conversation at `results` tool results; `hold` holds the answer after the first. */
export function nextTurn(parsed: ParsedRequest, hold: PromiseLike<unknown>): MockTurn {
  const usage = { prompt_tokens: 400, completion_tokens: 20 }
  if (parsed.results === 0)
    return {
      toolCalls: [{ id: callId(parsed.task, 1), name: 'run_command', arguments: { command: command(1) } }],
      usage,
    }
  if (parsed.results === 1)
    return {
      toolCalls: [{ id: callId(parsed.task, 2), name: 'run_command', arguments: { command: command(2) } }],
      usage,
      holdUntil: hold,
    }
  return { text: answer(parsed.task), usage }
}
