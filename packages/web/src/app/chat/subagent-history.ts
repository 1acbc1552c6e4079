/**
 * Sub-agents' panels from what is stored, so a reloaded page shows the same nesting a live run
 * did. Pure: a `task` call's stored result names the child session (`details.data.session_id`, or
 * its output's `session_id:` line); that session's messages become the panel (a header with the
 * prompt and the answer, then the child's tool calls). A child continued by a later `task` call
 * holds several runs: the n-th call naming it gets its n-th run (each starts at a user message).
 */
import type { Message, RunOutcomeStatus } from '@penguin-ai/sdk'
import type { ChatItem, Nest, SubagentItem, ToolItem } from './chat-types.js'
import { itemsFromMessages } from './from-messages.js'

/** The deepest level of sub-agents (the engine's MAX_SUBAGENT_DEPTH). */
export const MAX_STORED_DEPTH = 2

const STATUSES: readonly RunOutcomeStatus[] = [
  'completed',
  'failed',
  'aborted',
  'max_iterations',
  'budget_exceeded',
]

/** What a finished `task` call's item says about the child it ran. */
interface TaskOutcome {
  sessionId: string
  agent: string
  prompt: string
  status: RunOutcomeStatus
  text?: string
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

function taskOutcome(item: ChatItem): TaskOutcome | undefined {
  if (item.kind !== 'tool' || item.tool !== 'task' || item.nest) return undefined
  if (item.status !== 'done' && item.status !== 'error') return undefined
  const data = item.details?.kind === 'generic' ? record(item.details.data) : {}
  const args = record(item.args)
  const sessionId =
    typeof data.session_id === 'string' ? data.session_id : /session_id: (\S+)/.exec(item.output ?? '')?.[1]
  if (!sessionId) return undefined
  const agent =
    typeof data.agent === 'string' ? data.agent : typeof args.agent === 'string' ? args.agent : 'agent'
  const status = STATUSES.find((s) => s === data.status) ?? (item.status === 'error' ? 'failed' : 'completed')
  return {
    sessionId,
    agent,
    prompt: typeof args.prompt === 'string' ? args.prompt : '',
    status,
    ...(typeof data.text === 'string' ? { text: data.text } : {}),
  }
}

/** The child sessions the stored `task` calls of these items ran, in order, each once. */
export function taskSessionIds(items: readonly ChatItem[]): string[] {
  const ids = new Set<string>()
  for (const item of items) {
    const outcome = taskOutcome(item)
    if (outcome) ids.add(outcome.sessionId)
  }
  return [...ids]
}

/** A session's messages cut into runs: each starts at a user message. */
function runsOf(messages: readonly Message[]): Message[][] {
  const runs: Message[][] = []
  for (const message of messages) {
    if (message.role === 'user' || runs.length === 0) runs.push([message])
    else runs[runs.length - 1]?.push(message)
  }
  return runs
}

/** The panel of one `task` call: its header, then the child's calls (and its own children's panels). */
function panel(
  outcome: TaskOutcome,
  run: readonly Message[],
  children: ReadonlyMap<string, readonly Message[]>,
  depth: number,
  index: number,
): ChatItem[] {
  const nest: Nest = { agent: outcome.agent, sessionId: outcome.sessionId, depth }
  const prompt = run.find((message) => message.role === 'user')
  const promptText = prompt?.parts.find((part) => part.type === 'text')
  const header: SubagentItem = {
    kind: 'subagent',
    key: `stored:${outcome.sessionId}:${index}`,
    nest,
    prompt: promptText?.type === 'text' ? promptText.text : outcome.prompt,
    status: outcome.status,
    ...(outcome.text !== undefined ? { text: outcome.text } : {}),
  }
  // Like the live view: the child's calls; its text is the answer in the header.
  const calls = itemsFromMessages(run)
    .filter((item): item is ToolItem => item.kind === 'tool')
    .map(
      (item): ToolItem => ({
        ...item,
        key: `stored:${outcome.sessionId}:${item.key}`,
        callId: `${outcome.sessionId}:${item.callId}`,
        nest,
      }),
    )
  return [header, ...nestLevel(calls, children, depth + 1, (item) => item.tool === 'task')]
}

function nestLevel(
  items: readonly ChatItem[],
  children: ReadonlyMap<string, readonly Message[]>,
  depth: number,
  isTask: (item: ToolItem) => boolean,
): ChatItem[] {
  if (depth > MAX_STORED_DEPTH) return [...items]
  const seen = new Map<string, number>()
  const out: ChatItem[] = []
  for (const item of items) {
    out.push(item)
    if (item.kind !== 'tool' || !isTask(item)) continue
    const outcome = taskOutcome({ ...item, nest: undefined } as ToolItem)
    const messages = outcome ? children.get(outcome.sessionId) : undefined
    if (!outcome || !messages) continue
    const index = seen.get(outcome.sessionId) ?? 0
    seen.set(outcome.sessionId, index + 1)
    const run = runsOf(messages)[index]
    if (run) out.push(...panel(outcome, run, children, depth, index))
  }
  return out
}

/**
 * The items with each stored `task` call followed by its sub-agent's panel, for the children whose
 * messages are given (by session id). Panels already shown (a second load) are not added again.
 */
export function withStoredSubagents(
  items: readonly ChatItem[],
  children: ReadonlyMap<string, readonly Message[]>,
): ChatItem[] {
  const bare = items.filter((item) => !item.key.startsWith('stored:'))
  // Only calls shown from stored messages (`tool:` keys): a live or replayed call has its live panel.
  return nestLevel(bare, children, 1, (item) => !item.nest && item.key.startsWith('tool:'))
}
