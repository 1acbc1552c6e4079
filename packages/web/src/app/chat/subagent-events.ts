/** A sub-agent's live events (`subagent.event`), folded into the parent's chat items. */
import type { SessionEvent } from '@penguin-ai/sdk'
import type { ChatState, Nest, SubagentItem, ToolItem } from './chat-types.js'
import {
  askPermission,
  closeStreaming,
  findLast,
  findTool,
  replaceAt,
  updatePermission,
} from './item-list.js'

/**
 * A sub-agent's event, nested under the parent's items: its start and end (a panel header), its
 * calls, and its permission asks, answered here like the parent's (the server routes them).
 */
export function applySubagent(
  state: ChatState,
  wrapper: Extract<SessionEvent, { type: 'subagent.event' }>,
): ChatState {
  const event = wrapper.event
  const nest: Nest = {
    agent: wrapper.agent,
    sessionId: event.sessionId ?? wrapper.callId,
    depth: wrapper.depth,
  }
  // Call ids are the child's own: keep them apart from the parent's.
  const id = (callId: string) => `${nest.sessionId}:${callId}`
  switch (event.type) {
    case 'run.started': {
      const item: SubagentItem = {
        kind: 'subagent',
        key: `live${state.seq}`,
        nest,
        prompt: event.prompt,
        status: 'running',
      }
      return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
    }
    case 'run.finished': {
      const at = findLast(
        state.items,
        (item) => item.kind === 'subagent' && item.nest.sessionId === nest.sessionId,
      )
      if (at === -1) return state
      const item: SubagentItem = {
        ...(state.items[at] as SubagentItem),
        status: event.status,
        text: event.text,
        ...(event.error ? { error: event.error.message } : {}),
      }
      return { ...state, items: replaceAt(state.items, at, item) }
    }
    case 'tool.started': {
      const item: ToolItem = {
        kind: 'tool',
        key: `live${state.seq}`,
        callId: id(event.callId),
        tool: event.tool,
        args: event.args,
        ...(event.title ? { title: event.title } : {}),
        status: 'running',
        nest,
      }
      const at = findTool(state.items, item.callId)
      if (at !== -1)
        return {
          ...state,
          items: replaceAt(state.items, at, { ...(state.items[at] as ToolItem), status: 'running' }),
        }
      return { ...state, items: [...closeStreaming(state.items), item], seq: state.seq + 1 }
    }
    case 'permission.asked': {
      const asked = askPermission(state, id(event.callId), event.tool, event.args, {
        id: event.id,
        access: event.access,
        subject: event.subject,
        ...(event.preview ? { preview: event.preview } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        state: 'pending',
      })
      const at = findTool(asked.items, id(event.callId))
      if (at === -1) return asked
      return { ...asked, items: replaceAt(asked.items, at, { ...(asked.items[at] as ToolItem), nest }) }
    }
    case 'permission.answered':
      return updatePermission(state, (ask) => ask.id === event.id, { state: event.reply, auto: event.auto })
    case 'tool.finished': {
      const at = findTool(state.items, id(event.callId))
      if (at === -1) return state
      const item: ToolItem = {
        ...(state.items[at] as ToolItem),
        status: event.isError ? 'error' : 'done',
        output: event.output,
        durationMs: event.durationMs,
        ...(event.details ? { details: event.details } : {}),
      }
      return { ...state, items: replaceAt(state.items, at, item) }
    }
    default:
      return state
  }
}
