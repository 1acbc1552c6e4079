/**
 * The chat's item list, changed immutably: find an item, replace it, stream text into the last one,
 * attach a permission ask to its tool call. Shared by the reducer and the sub-agent events.
 */
import type { ChatItem, ChatState, PermissionAsk, ToolItem } from './chat-types.js'

export function askPermission(
  state: ChatState,
  callId: string,
  tool: string,
  args: unknown,
  ask: PermissionAsk,
): ChatState {
  const at = findTool(state.items, callId)
  if (at !== -1) {
    const item = state.items[at] as ToolItem
    if (item.permission?.id === ask.id && item.permission.state !== 'pending') return state
    return { ...state, items: replaceAt(state.items, at, { ...item, permission: ask }) }
  }
  const item: ToolItem = {
    kind: 'tool',
    key: `live${state.seq}`,
    callId,
    tool,
    args,
    status: 'running',
    permission: ask,
    live: true,
  }
  return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
}

export function updatePermission(
  state: ChatState,
  match: (ask: PermissionAsk) => boolean,
  change: Partial<PermissionAsk>,
): ChatState {
  const at = findLast(
    state.items,
    (item) => item.kind === 'tool' && item.permission !== undefined && match(item.permission),
  )
  if (at === -1) return state
  const item = state.items[at] as ToolItem
  const permission = { ...(item.permission as PermissionAsk), ...change }
  return { ...state, items: replaceAt(state.items, at, { ...item, permission }) }
}

export function findTool(items: readonly ChatItem[], callId: string): number {
  return findLast(items, (item) => item.kind === 'tool' && item.callId === callId)
}

/** Text or reasoning as it streams: grows the item in flight, or starts one (closing the other kind). */
export function appendStreaming(state: ChatState, kind: 'assistant' | 'reasoning', delta: string): ChatState {
  const last = state.items.at(-1)
  if (last?.kind === kind && last.streaming) {
    return {
      ...state,
      items: replaceAt(state.items, state.items.length - 1, { ...last, text: last.text + delta }),
    }
  }
  const item: ChatItem = { kind, key: `live${state.seq}`, text: delta, streaming: true }
  return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
}

export function closeStreaming(items: readonly ChatItem[]): ChatItem[] {
  const last = items.at(-1)
  if ((last?.kind === 'assistant' || last?.kind === 'reasoning') && last.streaming)
    return replaceAt(items, items.length - 1, { ...last, streaming: false })
  return [...items]
}

/**
 * Tool cards still `running` when a run (re)starts or ends never got their result: the worker
 * running them died and another took the run over (the calls were not stored, so a reload does not
 * show them either). They stay as `called`, not spinning forever.
 */
export function settleRunningTools(items: readonly ChatItem[]): ChatItem[] {
  return items.map((item) =>
    item.kind === 'tool' && item.status === 'running' ? { ...item, status: 'called' } : item,
  )
}

export function replaceAt(items: readonly ChatItem[], index: number, item: ChatItem): ChatItem[] {
  const next = [...items]
  next[index] = item
  return next
}

export function findLast(items: readonly ChatItem[], predicate: (item: ChatItem) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) {
    if (predicate(items[index] as ChatItem)) return index
  }
  return -1
}
