/**
 * The chat view's state machine: stored messages, then the session's live engine events (SSE) and
 * the user's own actions, folded into one list of items. Pure: the view only dispatches.
 */
import type { Message, Permission, Session, SessionEvent } from '@penguin-ai/sdk'
import type { ChatItem, ChatState, PermissionState, TextItem, ToolItem, Totals } from './chat-types.js'
import { itemsFromMessages } from './from-messages.js'
import {
  appendStreaming,
  askPermission,
  closeStreaming,
  findLast,
  findTool,
  replaceAt,
  settleRunningTools,
  updatePermission,
} from './item-list.js'
import { type Delivery, messageAccepted, messageFailed, queuedAfter, queueMessage } from './run-messages.js'
import { applySubagent } from './subagent-events.js'
import { withStoredSubagents } from './subagent-history.js'

export type ChatAction =
  | { type: 'loaded'; messages: readonly Message[]; session: Session; permissions: readonly Permission[] }
  /** Pending asks fetched after the messages (already answered ones stay answered). */
  | { type: 'permissions'; permissions: readonly Permission[] }
  | { type: 'event'; event: SessionEvent }
  /** A prompt sent from this tab, shown before the server confirms it. */
  | { type: 'prompt'; text: string }
  | { type: 'prompt-failed'; text: string; message: string }
  /** A message typed while the run works, for it: steering, or a follow-up (see run-messages.ts). */
  | { type: 'queue'; delivery: Delivery; text: string }
  | { type: 'queue-accepted'; delivery: Delivery; text: string; answered: Delivery | 'prompt' }
  | { type: 'queue-failed'; delivery: Delivery; text: string; message: string }
  | { type: 'permission'; id: string; state: PermissionState }
  | { type: 'cancelling' }
  /** The session record again (after a run): its stored totals. */
  | { type: 'session'; session: Session }
  /** Stored sub-agents' sessions (their messages by session id): shown nested under their `task` calls. */
  | { type: 'children'; children: ReadonlyMap<string, readonly Message[]> }

const ZERO: Totals = { inputTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 }

export function initialChatState(): ChatState {
  return { items: [], run: null, queued: [], baseline: ZERO, totals: ZERO, seq: 0 }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'loaded':
      // Messages typed for the run still wait to be read (a reconnect reloads the conversation).
      return withAsks(
        { ...loaded(action.messages, action.session), queued: state.queued },
        action.permissions,
      )
    case 'permissions':
      return withAsks(state, action.permissions)
    case 'children':
      return { ...state, items: withStoredSubagents(state.items, action.children) }
    case 'event': {
      const next = applyEvent(state, action.event)
      const queued = queuedAfter(next.queued, action.event)
      return queued === next.queued ? next : { ...next, queued }
    }
    case 'queue':
      return queueMessage(state, action.delivery, action.text)
    case 'queue-accepted':
      return messageAccepted(state, action.delivery, action.text, action.answered)
    case 'queue-failed':
      return messageFailed(state, action.delivery, action.text, action.message)
    case 'prompt':
      return {
        ...state,
        items: [...state.items, { kind: 'user', key: `live${state.seq}`, text: action.text, pending: true }],
        seq: state.seq + 1,
      }
    case 'prompt-failed': {
      const at = findLast(
        state.items,
        (item) => item.kind === 'user' && item.pending === true && item.text === action.text,
      )
      const items = at === -1 ? [...state.items] : state.items.filter((_, index) => index !== at)
      items.push({ kind: 'notice', key: `live${state.seq}`, tone: 'error', text: action.message })
      return { ...state, items, seq: state.seq + 1 }
    }
    case 'permission':
      return updatePermission(state, (ask) => ask.id === action.id, { state: action.state })
    case 'cancelling':
      return state.run ? { ...state, run: { ...state.run, cancelling: true } } : state
    case 'session': {
      if (state.run) return state
      const totals = sessionTotals(action.session)
      return { ...state, baseline: totals, totals }
    }
  }
}

function loaded(messages: readonly Message[], session: Session): ChatState {
  const state: ChatState = {
    ...initialChatState(),
    items: itemsFromMessages(messages),
    baseline: sessionTotals(session),
    totals: sessionTotals(session),
  }
  if (session.active_run_id) {
    state.run = { id: session.active_run_id, turnStart: state.items.length }
    state.waitForRun = session.active_run_id
  }
  return state
}

function withAsks(state: ChatState, permissions: readonly Permission[]): ChatState {
  return permissions.reduce(
    (current, ask) =>
      askPermission(current, ask.call_id, ask.tool, ask.args, {
        id: ask.id,
        access: ask.access,
        subject: ask.subject,
        ...(ask.preview ? { preview: ask.preview } : {}),
        ...(ask.reason ? { reason: ask.reason } : {}),
        state: 'pending',
      }),
    state,
  )
}

export function sessionTotals(session: Session): Totals {
  return {
    inputTokens: session.input_tokens,
    cacheReadTokens: session.cache_read_tokens,
    outputTokens: session.output_tokens,
    costUsd: session.cost_usd,
  }
}

function applyEvent(current: ChatState, event: SessionEvent): ChatState {
  let state = current
  if (state.waitForRun !== undefined) {
    // Replayed events of earlier runs are already in the stored messages.
    if (event.runId !== state.waitForRun) return state
    state = { ...state, waitForRun: undefined }
    if (event.type === 'run.started') state = dropStoredTurnsOf(state, event.prompt)
  }
  switch (event.type) {
    case 'run.started': {
      const closed = settleRunningTools(closeStreaming(state.items))
      const at = findLast(
        closed,
        (item) => item.kind === 'user' && item.pending === true && item.text === event.prompt,
      )
      const items =
        at === -1
          ? [...closed, { kind: 'user' as const, key: `live${state.seq}`, text: event.prompt }]
          : replaceAt(closed, at, { ...(closed[at] as TextItem), pending: false })
      return {
        ...state,
        items,
        seq: state.seq + 1,
        run: { id: event.runId, turnStart: items.length },
        lastOutcome: undefined,
        baseline: state.totals,
      }
    }
    case 'turn.started': {
      const items = closeStreaming(state.items)
      return { ...state, items, run: { ...(state.run ?? { id: event.runId }), turnStart: items.length } }
    }
    case 'message.delivered': {
      // A message sent during the run (steering or a follow-up) is now a user turn of it.
      const items = closeStreaming(state.items)
      const item = { kind: 'user' as const, key: `live${state.seq}`, text: event.text }
      return { ...state, items: [...items, item], seq: state.seq + 1 }
    }
    case 'text.delta':
      return appendStreaming(state, 'assistant', event.delta)
    case 'reasoning.delta':
      return appendStreaming(state, 'reasoning', event.delta)
    case 'turn.retry': {
      const from = state.run?.turnStart ?? state.items.length
      const items = state.items.filter(
        (item, index) => index < from || (item.kind !== 'assistant' && item.kind !== 'reasoning'),
      )
      const retry = `Retrying (attempt ${event.attempt}): ${event.reason}`
      return { ...state, items, run: state.run ? { ...state.run, retry } : state.run }
    }
    case 'tool.started': {
      const items = closeStreaming(state.items)
      const at = findTool(items, event.callId)
      const title = event.title ? { title: event.title } : {}
      if (at !== -1)
        return {
          ...state,
          items: replaceAt(items, at, { ...(items[at] as ToolItem), ...title, status: 'running' }),
        }
      const item: ToolItem = {
        kind: 'tool',
        key: `live${state.seq}`,
        callId: event.callId,
        tool: event.tool,
        args: event.args,
        ...title,
        status: 'running',
        live: true,
      }
      return { ...state, items: [...items, item], seq: state.seq + 1 }
    }
    case 'permission.asked':
      return askPermission(state, event.callId, event.tool, event.args, {
        id: event.id,
        access: event.access,
        subject: event.subject,
        ...(event.preview ? { preview: event.preview } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        state: 'pending',
      })
    case 'permission.answered':
      return updatePermission(state, (ask) => ask.id === event.id, { state: event.reply, auto: event.auto })
    case 'tool.finished': {
      const at = findTool(state.items, event.callId)
      const finished: Partial<ToolItem> = {
        status: event.isError ? 'error' : 'done',
        output: event.output,
        durationMs: event.durationMs,
        ...(event.details ? { details: event.details } : {}),
      }
      if (at === -1) {
        const item: ToolItem = {
          kind: 'tool',
          key: `live${state.seq}`,
          callId: event.callId,
          tool: event.tool,
          args: {},
          status: 'running',
          live: true,
          ...finished,
        }
        return { ...state, items: [...state.items, item], seq: state.seq + 1 }
      }
      return {
        ...state,
        items: replaceAt(state.items, at, { ...(state.items[at] as ToolItem), ...finished }),
      }
    }
    case 'usage':
      return {
        ...state,
        totals: {
          inputTokens: state.baseline.inputTokens + event.total.inputTokens,
          cacheReadTokens: state.baseline.cacheReadTokens + event.total.cacheReadTokens,
          outputTokens: state.baseline.outputTokens + event.total.outputTokens,
          costUsd: state.baseline.costUsd + event.totalCost,
        },
      }
    case 'context.compacted': {
      // Without a summary the compaction only pruned and/or truncated.
      const did = [
        ...(event.summary !== undefined ? [`${event.summarisedMessages} older messages summarised`] : []),
        ...(event.prunedOutputs ? [`${event.prunedOutputs} old tool outputs pruned`] : []),
        ...(event.truncatedOutputs ? [`${event.truncatedOutputs} new tool results truncated to fit`] : []),
      ]
      const text = `Context compacted (${event.reason}): ${event.tokensBefore} → ${event.tokensAfter} tokens; ${did.join(', ')}.`
      const item: ChatItem = { kind: 'notice', key: `live${state.seq}`, tone: 'info', text }
      return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
    }
    case 'notice': {
      // A hook that failed, an MCP server that could not start or died: for the person, not the model.
      const item: ChatItem = {
        kind: 'notice',
        key: `live${state.seq}`,
        tone: event.level === 'info' ? 'info' : 'error',
        text: `${event.source}: ${event.message}`,
      }
      return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
    }
    case 'tool.output':
      // Live command output: the server does not send it (tool.finished carries the output).
      return state
    case 'subagent.event':
      return applySubagent(state, event)
    case 'run.finished': {
      const items = settleRunningTools(closeStreaming(state.items))
      const message = runEndMessage(event.status, event.error?.message)
      if (message)
        items.push({
          kind: 'notice',
          key: `live${state.seq}`,
          tone: event.status === 'failed' ? 'error' : 'info',
          text: message,
        })
      return {
        ...state,
        items,
        seq: state.seq + 1,
        run: null,
        lastOutcome: { status: event.status, ...(event.error ? { message: event.error.message } : {}) },
        totals: {
          inputTokens: state.baseline.inputTokens + event.usage.inputTokens,
          cacheReadTokens: state.baseline.cacheReadTokens + event.usage.cacheReadTokens,
          outputTokens: state.baseline.outputTokens + event.usage.outputTokens,
          costUsd: state.baseline.costUsd + event.cost,
        },
      }
    }
  }
}

function runEndMessage(status: string, error: string | undefined): string | undefined {
  switch (status) {
    case 'completed':
      return undefined
    case 'aborted':
      return 'Stopped.'
    case 'max_iterations':
      return 'The run stopped at its iteration limit.'
    case 'budget_exceeded':
      return 'The run stopped: its budget is spent.'
    default:
      return `The run failed${error ? `: ${error}` : '.'}`
  }
}

/** After a reload mid-run the whole run is replayed: drop what the store already had of it. */
function dropStoredTurnsOf(state: ChatState, prompt: string): ChatState {
  const at = findLast(state.items, (item) => item.kind === 'user' && item.text === prompt)
  if (at === -1) return state
  return { ...state, items: state.items.slice(0, at) }
}
