/** The loop's steps where extensions have a say, kept out of the loop itself. */
import { type Message, type ToolSpec, textBlock, type UserMessage, userMessage } from '@penguin-ai/llm'
import type { Tool } from '@penguin-ai/tools'
import type { ExtensionChain, ExtensionScope } from './extension-chain.js'
import type { StopInfo } from './extensions.js'
import type { Delivery, RunInbox } from './inbox.js'
import type { Emit } from './tool-runner.js'

export type RunStop = { kind: string; message: string }

/**
 * The prompt as the model will read it: with what extensions add (a SessionStart hook's context on
 * the first prompt, a UserPromptSubmit hook's on each), or why it may not be sent.
 */
export async function openPrompt(
  chain: ExtensionChain,
  scope: ExtensionScope,
  prompt: string,
  options: { sessionStart: 'startup' | 'resume' | undefined; submit?: boolean },
): Promise<{ message: UserMessage } | { stop: RunStop }> {
  if (chain.size === 0) return { message: userMessage(prompt) }
  const context: string[] = []
  if (options.sessionStart) {
    const started = await chain.sessionStart(scope, options.sessionStart)
    context.push(...started.context)
    if (started.stop !== undefined) return { stop: stopped(started.stop) }
  }
  const submitted = options.submit === false ? { context: [] } : await chain.promptSubmit(scope, prompt)
  context.push(...submitted.context)
  if (submitted.stop !== undefined) return { stop: stopped(submitted.stop) }
  if (submitted.block !== undefined) {
    return { stop: { kind: 'blocked', message: `The prompt was blocked: ${submitted.block}` } }
  }
  const message = userMessage(prompt)
  // Separate blocks, so the prompt itself stays what the user typed; the text joins readably.
  for (const text of context) if (text.trim()) message.content.push(textBlock(`\n\n${text}`))
  return { message }
}

/** Messages taken from a run's inbox, all of one kind. */
export interface Taken {
  delivery: Delivery
  texts: string[]
}

/**
 * Takes the queued messages of the first of `kinds` that has any (synchronously: see `RunInbox`).
 */
export function takeQueued(inbox: RunInbox | undefined, kinds: readonly Delivery[]): Taken | undefined {
  if (!inbox) return undefined
  for (const delivery of kinds) {
    const texts = inbox.take(delivery)
    if (texts.length) return { delivery, texts }
  }
  return undefined
}

/**
 * Appends messages the user sent during the run to the conversation as user turns, each seen by
 * the UserPromptSubmit hooks first (`submit`) like any prompt, and announced with
 * `message.delivered`. A message a hook blocks is left out with a notice; a hook that stops the
 * session stops the run. Resolves how many were appended, or why the run must stop.
 */
export async function deliverQueued(
  chain: ExtensionChain,
  scope: ExtensionScope,
  taken: Taken,
  into: { append: (message: Message) => void; emit: Emit; submit: boolean },
): Promise<number | RunStop> {
  let delivered = 0
  for (const text of taken.texts) {
    const opened = await openPrompt(chain, scope, text, { sessionStart: undefined, submit: into.submit })
    if ('stop' in opened) {
      if (opened.stop.kind !== 'blocked') return opened.stop
      into.emit({ type: 'notice', level: 'warning', source: 'hooks', message: opened.stop.message })
      continue
    }
    into.append(opened.message)
    into.emit({ type: 'message.delivered', delivery: taken.delivery, text })
    delivered++
  }
  return delivered
}

/** What follows a model answer without tool calls: the run ends, or goes on (and why). */
export type AfterStop =
  | { finish: 'completed' | 'failed'; error?: RunStop }
  | { finish?: undefined; go: 'stop_hook' | Delivery }

/**
 * The model would stop. Extensions (Stop hooks) may say the work is not done; then what the user
 * sent meanwhile keeps the run going (steering first, else follow-ups). When nothing is queued the
 * run ends without an await after the inbox was looked at (after its refresh), so nothing posted
 * to it can slip in before `run.finished` (see RunInbox).
 */
export async function modelStopped(
  chain: ExtensionChain,
  scope: ExtensionScope,
  stop: StopInfo & { inbox: RunInbox | undefined; into: Parameters<typeof deliverQueued>[3] },
): Promise<AfterStop> {
  const { signal } = scope
  if (signal.aborted) return { finish: 'completed' }
  if (chain.size) {
    const { inbox: _inbox, into: _into, ...info } = stop
    const verdict = await chain.beforeStop(scope, info)
    if (verdict.stop !== undefined) return { finish: 'failed', error: stopped(verdict.stop) }
    if (signal.aborted) return { finish: 'completed' }
    if (verdict.continue.length) {
      // An extension (a Stop hook) says the work is not done: the model reads why and goes on.
      stop.into.append(userMessage(verdict.continue.join('\n\n')))
      return { go: 'stop_hook' }
    }
  }
  await stop.inbox?.refresh?.()
  const queued = takeQueued(stop.inbox, ['steer', 'follow_up'])
  if (!queued) return { finish: 'completed' }
  const delivered = await deliverQueued(chain, scope, queued, stop.into)
  if (typeof delivered !== 'number') return { finish: 'failed', error: delivered }
  return delivered === 0 ? { finish: 'completed' } : { go: queued.delivery }
}

/** How a run an extension ended is reported (status `failed`, error kind `stopped`). */
export function stopped(reason: string): RunStop {
  return { kind: 'stopped', message: reason ? `Stopped by a hook: ${reason}` : 'Stopped by a hook.' }
}

export function specsOf(tools: Map<string, Tool>): ToolSpec[] {
  return [...tools.values()].map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: tool.jsonSchema,
  }))
}
